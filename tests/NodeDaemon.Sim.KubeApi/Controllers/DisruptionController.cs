using System.Globalization;
using System.Text.Json.Nodes;
using NodeDaemon.Sim.KubeApi.Store;

namespace NodeDaemon.Sim.KubeApi.Controllers;

/// <summary>
/// Keeps every PodDisruptionBudget's status current, with the arithmetic of kubernetes pkg/controller/disruption
/// (disruption.go): <c>currentHealthy</c> counts selected Ready pods that are neither terminating nor recently evicted
/// (<c>status.disruptedPods</c>, an entry kept until its pod terminates or 2 minutes pass), <c>desiredHealthy</c> comes
/// from an integer minAvailable (expecting the selected pods), or from maxUnavailable or a percentage over the
/// controllers' scale (rounded up; pods without a controller left out), and <c>disruptionsAllowed</c> is
/// <c>max(0, currentHealthy - desiredHealthy)</c>, 0 while no pod is expected. A sync that fails (a controller that
/// cannot be found) sets only disruptionsAllowed to 0 (failSafe). The real controller recomputes from a work queue a
/// moment after each pod or budget event; this one does it in the same store change.
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
        var generation = pdb["metadata"]?["generation"]?.DeepClone() ?? 1;
        int expected, desiredHealthy;
        try
        {
            (expected, desiredHealthy) = ExpectedAndDesired(store, pdb, pods);
        }
        catch (InvalidOperationException e)
        {
            // failSafe: the sync failed, so the one field the eviction registry trusts is set to allow nothing.
            var failed = old.DeepClone().AsObject();
            failed["disruptionsAllowed"] = 0;
            failed["conditions"] = new JsonArray(Condition(old, "False", "SyncFailed", e.Message, (JsonNode?)old["observedGeneration"]?.DeepClone() ?? 0, now));
            return failed;
        }

        // updatePdbStatus: nothing is allowed while the budget expects no pods (its first pods may not be counted yet).
        var allowed = expected <= 0 ? 0 : Math.Max(0, currentHealthy - desiredHealthy);
        var status = new JsonObject
        {
            ["observedGeneration"] = generation,
            ["disruptionsAllowed"] = allowed,
            ["currentHealthy"] = currentHealthy,
            ["desiredHealthy"] = desiredHealthy,
            ["expectedPods"] = expected,
            ["conditions"] = new JsonArray(Condition(old, allowed > 0 ? "True" : "False", allowed > 0 ? "SufficientPods" : "InsufficientPods", "",
                generation.DeepClone(), now)),
        };
        if (disrupted.Count > 0)
        {
            status["disruptedPods"] = disrupted;
        }

        return status;
    }

    /// <summary>The DisruptionAllowed condition (pdbhelper.UpdateDisruptionAllowedCondition): its transition time moves only when its status does.</summary>
    internal static JsonObject Condition(JsonObject oldStatus, string status, string reason, string message, JsonNode observedGeneration, DateTimeOffset now)
    {
        var oldCondition = (oldStatus["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => (string?)c["type"] == "DisruptionAllowed");
        var transition = (string?)oldCondition?["status"] == status ? (string?)oldCondition?["lastTransitionTime"] : null;
        return new JsonObject
        {
            ["type"] = "DisruptionAllowed",
            ["status"] = status,
            ["observedGeneration"] = observedGeneration,
            ["lastTransitionTime"] = transition ?? ObjectMeta.Timestamp(now),
            ["reason"] = reason,
            ["message"] = message,
        };
    }

    // getExpectedPodCount: an integer minAvailable expects the selected pods as they are; maxUnavailable and a percentage
    // expect the sum of their controllers' scale. Neither set: nothing expected, nothing desired.
    private static (int Expected, int Desired) ExpectedAndDesired(ObjectStore store, JsonObject pdb, List<JsonObject> pods)
    {
        var minAvailable = pdb["spec"]?["minAvailable"];
        var maxUnavailable = pdb["spec"]?["maxUnavailable"];
        if (maxUnavailable is not null)
        {
            var expected = ExpectedScale(store, pods);
            return (expected, Math.Max(0, expected - Scaled(maxUnavailable, expected)));
        }

        if (minAvailable is JsonValue number && number.GetValueKind() == System.Text.Json.JsonValueKind.Number)
        {
            return (pods.Count, Scaled(minAvailable, pods.Count));
        }

        if (minAvailable is not null)
        {
            var expected = ExpectedScale(store, pods);
            return (expected, Scaled(minAvailable, expected));
        }

        return (0, 0);
    }

    // getExpectedScale: the sum of the scale of the selected pods' controllers, each counted once. A pod without a
    // controller is left out (the real controller records an UnmanagedPods event); a controller that cannot be found, or
    // of a kind without a scale, fails the sync. An owner the store holds without spec.replicas stands for as many
    // replicas as it has pods here (a seed leaves the number out; a real one always has it).
    private static int ExpectedScale(ObjectStore store, List<JsonObject> pods)
    {
        var expected = 0;
        var seenOwners = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pod in pods)
        {
            if (ObjectMeta.ControllerRef(pod) is not { } owner)
            {
                continue;
            }

            var type = (string?)owner["kind"] switch
            {
                "ReplicaSet" => ResourceTypes.ReplicaSets,
                "StatefulSet" => ResourceTypes.StatefulSets,
                var kind => throw new InvalidOperationException($"found no controllers for pod \"{ObjectMeta.Name(pod)}\" ({kind} has no scale here)"),
            };
            var controller = store.Get(type, ObjectMeta.Namespace(pod), (string?)owner["name"] ?? "")
                ?? throw new InvalidOperationException($"found no controllers for pod \"{ObjectMeta.Name(pod)}\"");
            var replicas = JsonNumber.ReadSmall(controller["spec"]?["replicas"]);
            if (replicas is null)
            {
                expected++;
            }
            else if (seenOwners.Add($"{type.Resource}/{owner["name"]}"))
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
