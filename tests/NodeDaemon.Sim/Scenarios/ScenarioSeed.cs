using System.Text.Json.Nodes;

namespace NodeDaemon.Sim.Scenarios;

/// <summary>The API server's seed for a scenario: the own node, the other nodes, the pods and the budgets.</summary>
public static class ScenarioSeed
{
    /// <summary>A Kubernetes <c>List</c> for <see cref="KubeApi.Store.SeedLoader"/> (which adds uids, owners and namespaces).</summary>
    public static JsonObject Build(Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var items = new JsonArray { Node(scenario.Node) };
        foreach (var other in scenario.OtherNodes)
        {
            items.Add(Node(new ScenarioNode { Name = other }));
        }

        foreach (var pod in scenario.Pods)
        {
            items.Add(Pod(pod, scenario.Node.Name));
        }

        foreach (var pdb in scenario.Pdbs)
        {
            items.Add(Budget(pdb));
        }

        return new JsonObject { ["apiVersion"] = "v1", ["kind"] = "List", ["items"] = items };
    }

    private static JsonObject Node(ScenarioNode node)
    {
        var result = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Node",
            ["metadata"] = new JsonObject
            {
                ["name"] = node.Name,
                ["labels"] = Map(node.Labels),
                ["annotations"] = Map(node.Annotations),
            },
        };
        if (node.Unschedulable)
        {
            result["spec"] = new JsonObject { ["unschedulable"] = true };
        }

        return result;
    }

    private static JsonObject Pod(ScenarioPod pod, string nodeName)
    {
        var metadata = new JsonObject { ["name"] = pod.Name, ["namespace"] = pod.Namespace, ["labels"] = Map(pod.Labels) };
        switch (pod.Owner)
        {
            case "Mirror":
                // What the kubelet puts on the API copy of a static pod.
                metadata["annotations"] = new JsonObject { ["kubernetes.io/config.mirror"] = "sim" };
                break;
            case "ReplicaSet" or "StatefulSet" or "DaemonSet":
                metadata["ownerReferences"] = new JsonArray(new JsonObject
                {
                    ["apiVersion"] = "apps/v1",
                    ["kind"] = pod.Owner,
                    ["name"] = pod.OwnerName ?? OwnerName(pod.Name),
                    ["uid"] = $"uid-{pod.Namespace}-{pod.OwnerName ?? OwnerName(pod.Name)}",
                    ["controller"] = true,
                });
                if (pod.Owner == "ReplicaSet")
                {
                    metadata["generateName"] = (pod.OwnerName ?? OwnerName(pod.Name)) + "-";
                }

                break;
            case "None":
                break;
            default:
                throw new ScenarioException($"pod {pod.Namespace}/{pod.Name}: owner must be ReplicaSet, StatefulSet, DaemonSet, Mirror or None, got \"{pod.Owner}\"");
        }

        var spec = new JsonObject
        {
            ["nodeName"] = nodeName,
            ["terminationGracePeriodSeconds"] = pod.TerminationGracePeriodSeconds,
            ["containers"] = new JsonArray(new JsonObject { ["name"] = "app", ["image"] = "registry.example.com/app:1" }),
        };
        if (pod.EmptyDir)
        {
            spec["volumes"] = new JsonArray(new JsonObject { ["name"] = "scratch", ["emptyDir"] = new JsonObject() });
        }

        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = metadata,
            ["spec"] = spec,
            ["status"] = new JsonObject
            {
                ["phase"] = pod.Phase,
                ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = pod.Ready ? "True" : "False" }),
            },
        };
    }

    private static JsonObject Budget(ScenarioPdb pdb)
    {
        if ((pdb.MinAvailable is null) == (pdb.MaxUnavailable is null))
        {
            throw new ScenarioException($"pdb {pdb.Namespace}/{pdb.Name}: give exactly one of minAvailable and maxUnavailable");
        }

        var spec = new JsonObject { ["selector"] = new JsonObject { ["matchLabels"] = Map(pdb.Selector) } };
        spec[pdb.MinAvailable is null ? "maxUnavailable" : "minAvailable"] = (pdb.MinAvailable ?? pdb.MaxUnavailable)!.DeepClone();
        return new JsonObject
        {
            ["apiVersion"] = "policy/v1",
            ["kind"] = "PodDisruptionBudget",
            ["metadata"] = new JsonObject { ["name"] = pdb.Name, ["namespace"] = pdb.Namespace },
            ["spec"] = spec,
        };
    }

    // web-7d9c5-x2x4q → web-7d9c5 (a ReplicaSet's pod), db-0 → db (a StatefulSet's).
    private static string OwnerName(string pod)
    {
        var dash = pod.LastIndexOf('-');
        return dash > 0 ? pod[..dash] : pod + "-owner";
    }

    private static JsonObject Map<TValue>(IReadOnlyDictionary<string, TValue> values)
    {
        var map = new JsonObject();
        foreach (var (key, value) in values)
        {
            map[key] = JsonValue.Create(value);
        }

        return map;
    }
}
