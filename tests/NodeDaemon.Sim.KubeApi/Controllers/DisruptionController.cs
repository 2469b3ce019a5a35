using System.Globalization;
using System.Text.Json.Nodes;
using NodeDaemon.Sim.KubeApi.Store;

namespace NodeDaemon.Sim.KubeApi.Controllers;

/// <summary>
/// Keeps every PodDisruptionBudget's status current, with the arithmetic of kubernetes pkg/controller/disruption:
/// <c>currentHealthy</c> counts selected Ready pods that are neither terminating nor recently evicted
/// (<c>status.disruptedPods</c>), <c>desiredHealthy</c> comes from minAvailable or maxUnavailable (percentages round up),
/// and <c>disruptionsAllowed = max(0, currentHealthy - desiredHealthy)</c>.
/// </summary>
public sealed class DisruptionController : IStoreReactor
{
    // An eviction that did not lead to a deletion within this time stops counting as a disruption (DeletionTimeout).
    private static readonly TimeSpan _deletionTimeout = TimeSpan.FromMinutes(2);

    /// <inheritdoc/>
    public void OnChange(ObjectStore store, StoreEvent change)
    {
        if (change.Resource == ResourceTypes.Pods
            || (change.Resource == ResourceTypes.PodDisruptionBudgets && change.Type != "DELETED"
                && (change.Previous is null || !JsonNode.DeepEquals(change.Previous["spec"], change.Item["spec"]))))
        {
            Recompute(store, ObjectMeta.Namespace(change.Item)!);
        }
    }

    /// <summary>Recomputes the status of every budget in a namespace, writing only those that changed.</summary>
    public static void Recompute(ObjectStore store, string ns)
    {
        var pods = store.List(ResourceTypes.Pods, ns);
        foreach (var pdb in store.List(ResourceTypes.PodDisruptionBudgets, ns))
        {
            store.Update(ResourceTypes.PodDisruptionBudgets, ns, ObjectMeta.Name(pdb)!, current =>
            {
                current["status"] = Compute(store, current, pods);
                return current;
            });
        }
    }

    /// <summary>The budgets in the pod's namespace whose selector matches the pod.</summary>
    public static IReadOnlyList<JsonObject> BudgetsFor(ObjectStore store, JsonObject pod)
    {
        var labels = ObjectMeta.Labels(pod);
        return [.. store.List(ResourceTypes.PodDisruptionBudgets, ObjectMeta.Namespace(pod))
            .Where(b => LabelSelector.FromObject(b["spec"]?["selector"] as JsonObject).Matches(labels))];
    }

    private static JsonObject Compute(ObjectStore store, JsonObject pdb, IReadOnlyList<JsonObject> namespacePods)
    {
        var now = store.Time.GetUtcNow();
        var selector = LabelSelector.FromObject(pdb["spec"]?["selector"] as JsonObject);
        var pods = namespacePods.Where(p => selector.Matches(ObjectMeta.Labels(p))).ToList();
        var old = pdb["status"] as JsonObject ?? [];

        // Evictions not yet turned into deletions still count as disruptions, until the pod terminates or the entry expires.
        var disrupted = new JsonObject();
        foreach (var (name, at) in old["disruptedPods"] as JsonObject ?? [])
        {
            var pod = pods.FirstOrDefault(p => ObjectMeta.Name(p) == name);
            if (pod is not null && !PodStatus.IsTerminating(pod) && ObjectMeta.ParseTimestamp((string?)at) is { } time && time + _deletionTimeout > now)
            {
                disrupted[name] = (string?)at;
            }
        }

        var currentHealthy = pods.Count(p => !PodStatus.IsTerminating(p) && !disrupted.ContainsKey(ObjectMeta.Name(p)!) && PodStatus.IsReady(p));
        var expected = ExpectedPods(store, pods);
        var desiredHealthy = 0;
        var minAvailable = pdb["spec"]?["minAvailable"];
        var maxUnavailable = pdb["spec"]?["maxUnavailable"];
        if (maxUnavailable is not null)
        {
            desiredHealthy = Math.Max(0, expected - Scaled(maxUnavailable, expected));
        }
        else if (minAvailable is not null)
        {
            desiredHealthy = Scaled(minAvailable, expected);
        }

        var allowed = Math.Max(0, currentHealthy - desiredHealthy);
        var generation = pdb["metadata"]?["generation"]?.DeepClone() ?? 1;
        var conditionStatus = allowed > 0 ? "True" : "False";
        var oldCondition = (old["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => (string?)c["type"] == "DisruptionAllowed");
        var transition = (string?)oldCondition?["status"] == conditionStatus ? (string?)oldCondition?["lastTransitionTime"] : null;
        var status = new JsonObject
        {
            ["observedGeneration"] = generation,
            ["disruptionsAllowed"] = allowed,
            ["currentHealthy"] = currentHealthy,
            ["desiredHealthy"] = desiredHealthy,
            ["expectedPods"] = expected,
            ["conditions"] = new JsonArray(new JsonObject
            {
                ["type"] = "DisruptionAllowed",
                ["status"] = conditionStatus,
                ["observedGeneration"] = generation.DeepClone(),
                ["lastTransitionTime"] = transition ?? ObjectMeta.Timestamp(now),
                ["reason"] = allowed > 0 ? "SufficientPods" : "InsufficientPods",
                ["message"] = "",
            }),
        };
        if (disrupted.Count > 0)
        {
            status["disruptedPods"] = disrupted;
        }

        return status;
    }

    // The real controller asks the pods' controllers for their scale; owners in the store with spec.replicas are used the
    // same way, any other pod counts as one.
    private static int ExpectedPods(ObjectStore store, List<JsonObject> pods)
    {
        var expected = 0;
        var seenOwners = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pod in pods)
        {
            var owner = ObjectMeta.ControllerRef(pod);
            var type = (string?)owner?["kind"] switch
            {
                "ReplicaSet" => ResourceTypes.ReplicaSets,
                "StatefulSet" => ResourceTypes.StatefulSets,
                _ => null,
            };
            var replicas = type is null ? null : JsonNumber.ReadSmall(store.Get(type, ObjectMeta.Namespace(pod), (string?)owner!["name"] ?? "")?["spec"]?["replicas"]);
            if (replicas is null)
            {
                expected++;
            }
            else if (seenOwners.Add($"{type!.Resource}/{owner!["name"]}"))
            {
                expected += replicas.Value;
            }
        }

        return expected;
    }

    // intstr.GetScaledValueFromIntOrPercent(value, total, roundUp: true), as the disruption controller calls it.
    private static int Scaled(JsonNode value, int total)
    {
        var text = value.ToString();
        if (text.EndsWith('%') && int.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var percent))
        {
            return (int)Math.Ceiling(percent * total / 100.0);
        }

        return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) ? number : 0;
    }
}
