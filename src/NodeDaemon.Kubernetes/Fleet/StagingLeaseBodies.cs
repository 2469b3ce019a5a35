using System.Text.Json.Nodes;

namespace NodeDaemon.Kubernetes.Fleet;

/// <summary>The staging Lease bodies: a create, or a PUT on a listed Lease carrying its resourceVersion (409 if anyone wrote since).</summary>
internal static class StagingLeaseBodies
{
    /// <summary>A new staging Lease held by <paramref name="holder"/> pulling <paramref name="image"/>.</summary>
    public static JsonObject Create(LeaseStagingSlotClientOptions options, string name, string pool, string holder, string image, DateTimeOffset now) => new()
    {
        ["apiVersion"] = "coordination.k8s.io/v1",
        ["kind"] = "Lease",
        ["metadata"] = new JsonObject
        {
            ["name"] = name,
            ["namespace"] = options.Fleet.LeaseNamespace,
            ["labels"] = new JsonObject { [options.PoolLabelKey] = SlotLeaseNames.Segment(pool), [options.HolderLabelKey] = SlotLeaseNames.HolderLabel(holder) },
            ["annotations"] = new JsonObject { [options.ImageKey] = image },
        },
        ["spec"] = new JsonObject
        {
            ["holderIdentity"] = holder,
            ["leaseDurationSeconds"] = Seconds(options.LeaseDuration),
            ["acquireTime"] = SlotLeaseBodies.MicroTime(now),
            ["renewTime"] = SlotLeaseBodies.MicroTime(now),
            ["leaseTransitions"] = 0,
        },
    };

    /// <summary><paramref name="lease"/> taken by <paramref name="holder"/> (free, or expired).</summary>
    public static JsonObject Take(LeaseStagingSlotClientOptions options, StagingLease lease, string pool, string holder, string image, DateTimeOffset now) =>
        Give(options, lease, pool, holder, image, now, options.LeaseDuration);

    /// <summary>
    /// <paramref name="lease"/>, ours, handed to <paramref name="successor"/> waiting to pull <paramref name="image"/>: it
    /// names the successor, with <see cref="LeaseStagingSlotClientOptions.HandOverDuration"/> to take it up (a renewal),
    /// and us as the node that gave it back.
    /// </summary>
    public static JsonObject HandOver(LeaseStagingSlotClientOptions options, StagingLease lease, string pool, string successor, string image, DateTimeOffset now)
    {
        var body = Give(options, lease, pool, successor, image, now, options.HandOverDuration);
        if (lease.Holder.Length > 0)
        {
            // A free slot handed on (LeaseStagingSlotClient.FillOpenAsync) keeps the name of the node that gave it back.
            Map(body, "annotations")[options.GivenBackByKey] = lease.Holder;
        }

        return body;
    }

    private static JsonObject Give(LeaseStagingSlotClientOptions options, StagingLease lease, string pool, string holder, string image, DateTimeOffset now, TimeSpan duration)
    {
        var body = Base(lease);
        var labels = Map(body, "labels");
        labels[options.PoolLabelKey] = SlotLeaseNames.Segment(pool);
        labels[options.HolderLabelKey] = SlotLeaseNames.HolderLabel(holder);
        Map(body, "annotations")[options.ImageKey] = image;
        var spec = Spec(body);
        spec["holderIdentity"] = holder;
        spec["leaseDurationSeconds"] = Seconds(duration);
        spec["acquireTime"] = SlotLeaseBodies.MicroTime(now);
        spec["renewTime"] = SlotLeaseBodies.MicroTime(now);
        spec["leaseTransitions"] = (spec["leaseTransitions"] is JsonValue v && v.TryGetValue<int>(out var transitions) ? transitions : 0) + 1;
        return body;
    }

    /// <summary><paramref name="lease"/> renewed now by its holder.</summary>
    public static JsonObject Renew(LeaseStagingSlotClientOptions options, StagingLease lease, DateTimeOffset now)
    {
        var body = Base(lease);
        // The label too: a Lease written by a daemon from before the label carries none.
        Map(body, "labels")[options.HolderLabelKey] = SlotLeaseNames.HolderLabel(lease.Holder);
        var spec = Spec(body);
        spec["leaseDurationSeconds"] = Seconds(options.LeaseDuration);
        spec["renewTime"] = SlotLeaseBodies.MicroTime(now);
        return body;
    }

    /// <summary><paramref name="lease"/> with no holder: free for the next node; its last holder named as the one that gave it back.</summary>
    public static JsonObject Release(LeaseStagingSlotClientOptions options, StagingLease lease, DateTimeOffset now)
    {
        var body = Base(lease);
        var annotations = Map(body, "annotations");
        annotations.Remove(options.ImageKey);
        annotations[options.GivenBackByKey] = lease.Holder;
        Map(body, "labels").Remove(options.HolderLabelKey);
        var spec = Spec(body);
        spec.Remove("holderIdentity");
        spec["renewTime"] = SlotLeaseBodies.MicroTime(now);
        return body;
    }

    private static int Seconds(TimeSpan duration) => (int)Math.Max(1, Math.Ceiling(duration.TotalSeconds));

    private static JsonObject Base(StagingLease lease)
    {
        var body = lease.Object.DeepClone().AsObject();
        // Items of a list carry no kind on the wire; a PUT names it.
        body["apiVersion"] = "coordination.k8s.io/v1";
        body["kind"] = "Lease";
        return body;
    }

    private static JsonObject Spec(JsonObject body) => body["spec"] as JsonObject ?? (JsonObject)(body["spec"] = new JsonObject());

    private static JsonObject Map(JsonObject body, string name)
    {
        var metadata = body["metadata"] as JsonObject ?? (JsonObject)(body["metadata"] = new JsonObject());
        return metadata[name] as JsonObject ?? (JsonObject)(metadata[name] = new JsonObject());
    }
}
