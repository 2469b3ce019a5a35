using System.Text.Json.Nodes;
using NodeDaemon.Sim.KubeApi.Store;

namespace NodeDaemon.Sim.KubeApi.Controllers;

/// <summary>
/// The part of the ReplicaSet and StatefulSet controllers and the scheduler that a drain depends on: a deleted pod gets a
/// replacement with a new uid on another schedulable node, which turns Ready after a delay. A ReplicaSet replaces as soon
/// as the pod starts terminating (new random name); a StatefulSet only once the old pod is gone (same name). A replacement
/// with no node to go to stays Pending until a node becomes schedulable.
/// </summary>
public sealed class ReplicaController : IStoreReactor
{
    private const string SuffixAlphabet = "bcdfghjklmnpqrstvwxz2456789";
    private readonly SimScheduler _scheduler;
    private readonly TimeSpan _readyDelay;
    private readonly Random _random;
    private readonly HashSet<string> _replacedUids = new(StringComparer.Ordinal);

    /// <summary>A controller whose replacements turn Ready <paramref name="readyDelay"/> (nominal) after being scheduled.</summary>
    public ReplicaController(SimScheduler scheduler, TimeSpan readyDelay, Random random)
    {
        _scheduler = scheduler;
        _readyDelay = readyDelay;
        _random = random;
    }

    /// <inheritdoc/>
    public void OnChange(ObjectStore store, StoreEvent change)
    {
        if (change.Resource == ResourceTypes.Nodes && change.Type != "DELETED" && !Unschedulable(change.Item))
        {
            // Waiting pods only wait for a node to become schedulable: an annotation write on a schedulable node (the
            // bulk of a fleet's node writes) changes nothing for them, and listing every pod on each would be costly.
            if (change.Previous is { } before && !Unschedulable(before))
            {
                return;
            }


            ScheduleWaiting(store);
            return;
        }

        if (change.Resource != ResourceTypes.Pods || ObjectMeta.ControllerRef(change.Item) is not { } owner)
        {
            return;
        }

        var kind = (string?)owner["kind"];
        var startedTerminating = change.Type == "MODIFIED" && PodStatus.IsTerminating(change.Item) && !PodStatus.IsTerminating(change.Previous!);
        if ((kind == "ReplicaSet" && (startedTerminating || change.Type == "DELETED")) || (kind == "StatefulSet" && change.Type == "DELETED"))
        {
            if (_replacedUids.Add(ObjectMeta.Uid(change.Item)!))
            {
                Replace(store, change.Item, kind, (string?)owner["name"] ?? "pod");
            }
        }
    }

    private void Replace(ObjectStore store, JsonObject old, string kind, string ownerName)
    {
        var oldMeta = ObjectMeta.Metadata(old);
        var ns = ObjectMeta.Namespace(old)!;
        var prefix = (string?)oldMeta["generateName"] ?? $"{ownerName}-";
        var name = kind == "StatefulSet" ? ObjectMeta.Name(old)! : prefix + RandomSuffix();
        var meta = new JsonObject { ["name"] = name, ["namespace"] = ns };
        foreach (var field in new[] { "generateName", "labels", "annotations", "ownerReferences" })
        {
            if (oldMeta[field] is { } value)
            {
                meta[field] = value.DeepClone();
            }
        }

        var spec = old["spec"]?.DeepClone().AsObject() ?? [];
        spec.Remove("nodeName");
        var pod = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Pod", ["metadata"] = meta, ["spec"] = spec };
        var node = PickNode(store, (string?)old["spec"]?["nodeName"]);
        if (node is not null)
        {
            spec["nodeName"] = node;
        }

        PodStatus.Set(pod, "Pending", false, ObjectMeta.Timestamp(store.Time.GetUtcNow()));
        var created = store.Create(ResourceTypes.Pods, pod);
        if (node is not null)
        {
            StartLater(store, created);
        }
    }

    private static bool Unschedulable(JsonObject node) => node["spec"]?["unschedulable"]?.ToJsonString() == "true";

    private void ScheduleWaiting(ObjectStore store)
    {
        foreach (var pod in store.Stored(ResourceTypes.Pods).Where(p => p["spec"]?["nodeName"] is null && !PodStatus.IsTerminating(p)
            && ObjectMeta.ControllerRef(p) is { } o && (string?)o["kind"] is "ReplicaSet" or "StatefulSet").ToList())
        {
            if (PickNode(store, null) is not { } node)
            {
                return;
            }

            var scheduled = store.Update(ResourceTypes.Pods, ObjectMeta.Namespace(pod), ObjectMeta.Name(pod)!, p =>
            {
                p["spec"]!["nodeName"] = node;
                PodStatus.Set(p, "Pending", false, ObjectMeta.Timestamp(store.Time.GetUtcNow()));
                return p;
            });
            StartLater(store, scheduled);
        }
    }

    private void StartLater(ObjectStore store, JsonObject pod)
    {
        var ns = ObjectMeta.Namespace(pod);
        var name = ObjectMeta.Name(pod)!;
        var uid = ObjectMeta.Uid(pod);
        _scheduler.After(_readyDelay, () => store.Update(ResourceTypes.Pods, ns, name, p =>
        {
            if (ObjectMeta.Uid(p) == uid && !PodStatus.IsTerminating(p))
            {
                PodStatus.Set(p, "Running", true, ObjectMeta.Timestamp(store.Time.GetUtcNow()));
            }

            return p;
        }));
    }

    // The scheduler's choice, simplified: a schedulable node other than the one the pod left, the least loaded first.
    private static string? PickNode(ObjectStore store, string? avoid)
    {
        // Counted in one pass: a pool of hundreds of nodes and pods makes a count per node too slow.
        var load = store.Stored(ResourceTypes.Pods).GroupBy(p => (string?)p["spec"]?["nodeName"] ?? "")
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        return store.Stored(ResourceTypes.Nodes)
            .Where(n => !Unschedulable(n) && ObjectMeta.Name(n) != avoid)
            .Select(n => ObjectMeta.Name(n)!)
            .OrderBy(n => load.GetValueOrDefault(n))
            .ThenBy(n => n, StringComparer.Ordinal)
            .FirstOrDefault();
    }

    private string RandomSuffix()
    {
        lock (_random)
        {
            return new string([.. Enumerable.Range(0, 5).Select(_ => SuffixAlphabet[_random.Next(SuffixAlphabet.Length)])]);
        }
    }
}
