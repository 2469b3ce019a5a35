using System.Globalization;
using System.Text.Json.Nodes;

namespace NodeDaemon.Kubernetes.Fleet;

/// <summary>The Lease bodies the slot client writes: a create, or a PUT on a listed Lease carrying its resourceVersion.</summary>
/// <remarks>
/// Every PUT starts from the listed object, whose <c>metadata.resourceVersion</c> it keeps: the server refuses it with 409
/// if anyone wrote in between, which is the whole arbitration. Never a write without that version.
/// </remarks>
internal static class SlotLeaseBodies
{
    /// <summary>A new Lease held by <paramref name="holder"/> for <paramref name="digest"/>, in a pool of <paramref name="slots"/> slots.</summary>
    public static JsonObject Create(string ns, string name, string holder, string digest, int slots, SlotLeaseKeys keys, DateTimeOffset now, TimeSpan duration) => new()
    {
        ["apiVersion"] = "coordination.k8s.io/v1",
        ["kind"] = "Lease",
        ["metadata"] = new JsonObject
        {
            ["name"] = name,
            ["namespace"] = ns,
            ["labels"] = new JsonObject { [keys.Holder] = SlotLeaseNames.HolderLabel(holder) },
            ["annotations"] = new JsonObject { [keys.Digest] = digest, [keys.Slots] = Count(slots) },
        },
        ["spec"] = new JsonObject
        {
            ["holderIdentity"] = holder,
            ["leaseDurationSeconds"] = Seconds(duration),
            ["acquireTime"] = MicroTime(now),
            ["renewTime"] = MicroTime(now),
            ["leaseTransitions"] = 0,
        },
    };

    /// <summary><paramref name="lease"/> taken by <paramref name="holder"/> (free, or over from its previous holder).</summary>
    public static JsonObject Take(SlotLease lease, string holder, string digest, int slots, SlotLeaseKeys keys, DateTimeOffset now, TimeSpan duration) =>
        Give(lease, holder, digest, slots, keys, now, duration, handedOverBy: null);

    /// <summary><paramref name="lease"/>, held by us, handed straight to <paramref name="successor"/> waiting for <paramref name="digest"/>.</summary>
    public static JsonObject HandOver(SlotLease lease, string successor, string digest, int slots, SlotLeaseKeys keys, DateTimeOffset now, TimeSpan duration)
    {
        var body = Give(lease, successor, digest, slots, keys, now, duration, handedOverBy: lease.Holder);
        RecordHold(body, lease, keys, now);
        return body;
    }

    /// <summary>
    /// <paramref name="lease"/> renewed now by its holder, naming <paramref name="digest"/> when given (the holder's target
    /// changed). A renewal also takes up a slot handed over: the hand-over mark goes.
    /// </summary>
    public static JsonObject Renew(SlotLease lease, string? digest, SlotLeaseKeys keys, DateTimeOffset now, TimeSpan duration)
    {
        var body = Base(lease);
        var annotations = Annotations(body);
        if (digest is not null)
        {
            annotations[keys.Digest] = digest;
        }

        annotations.Remove(keys.HandedOverBy);
        // A Lease written by a version without the label gets it with the holder's next write.
        var spec = Spec(body);
        Labels(body)[keys.Holder] = SlotLeaseNames.HolderLabel(spec["holderIdentity"]?.GetValue<string>() ?? "");
        spec["leaseDurationSeconds"] = Seconds(duration);
        spec["renewTime"] = MicroTime(now);
        return body;
    }

    /// <summary><paramref name="lease"/> with no holder and no digest: free for the next node.</summary>
    public static JsonObject Release(SlotLease lease, SlotLeaseKeys keys, DateTimeOffset now)
    {
        var body = Base(lease);
        RecordHold(body, lease, keys, now);
        var annotations = Annotations(body);
        annotations.Remove(keys.Digest);
        annotations.Remove(keys.HandedOverBy);
        Labels(body)[keys.Holder] = SlotLeaseNames.FreeLabel;
        var spec = Spec(body);
        spec.Remove("holderIdentity");
        spec["renewTime"] = MicroTime(now);
        return body;
    }

    /// <summary>The API's MicroTime: RFC 3339 with exactly six fractional digits, UTC (<c>2006-01-02T15:04:05.000000Z</c>).</summary>
    public static string MicroTime(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    private static JsonObject Give(SlotLease lease, string holder, string digest, int slots, SlotLeaseKeys keys, DateTimeOffset now, TimeSpan duration,
        string? handedOverBy)
    {
        var body = Base(lease);
        var annotations = Annotations(body);
        annotations[keys.Digest] = digest;
        annotations[keys.Slots] = Count(slots);
        if (handedOverBy is null)
        {
            annotations.Remove(keys.HandedOverBy);
        }
        else
        {
            annotations[keys.HandedOverBy] = handedOverBy;
        }

        Labels(body)[keys.Holder] = SlotLeaseNames.HolderLabel(holder);
        var spec = Spec(body);
        spec["holderIdentity"] = holder;
        spec["leaseDurationSeconds"] = Seconds(duration);
        spec["acquireTime"] = MicroTime(now);
        spec["renewTime"] = MicroTime(now);
        // As client-go's leader election counts them: every change of holder.
        spec["leaseTransitions"] = (spec["leaseTransitions"] is JsonValue v && v.TryGetValue<int>(out var transitions) ? transitions : 0) + 1;
        return body;
    }

    /// <summary>Notes the hold that ends with this write: the next holder's acquireTime overwrites its start, and the ETA of
    /// <c>rollout status</c> needs how long each node held a slot. No write of its own: it rides on the release. A slot
    /// handed to a node that never took it up (one it passes on as a stray) was no hold.</summary>
    private static void RecordHold(JsonObject body, SlotLease lease, SlotLeaseKeys keys, DateTimeOffset now)
    {
        if (lease is { IsHeld: true, HandedOverBy: null, Digest: { } digest, AcquiredAt: { } acquired } && now >= acquired)
        {
            var annotations = Annotations(body);
            annotations[keys.Holds] = SlotHold.Prepend(annotations[keys.Holds]?.GetValue<string>(), new SlotHold(lease.Holder, digest, acquired, now));
        }
    }

    private static string Count(int slots) => slots.ToString(CultureInfo.InvariantCulture);

    private static int Seconds(TimeSpan duration) => (int)Math.Max(1, Math.Ceiling(duration.TotalSeconds));

    private static JsonObject Base(SlotLease lease)
    {
        var body = lease.Object.DeepClone().AsObject();
        // Items of a list carry no kind on the wire; a PUT names it.
        body["apiVersion"] = "coordination.k8s.io/v1";
        body["kind"] = "Lease";
        return body;
    }

    private static JsonObject Spec(JsonObject body) => body["spec"] as JsonObject ?? (JsonObject)(body["spec"] = new JsonObject());

    private static JsonObject Annotations(JsonObject body) => Map(body, "annotations");

    private static JsonObject Labels(JsonObject body) => Map(body, "labels");

    private static JsonObject Map(JsonObject body, string name)
    {
        var metadata = body["metadata"] as JsonObject ?? (JsonObject)(body["metadata"] = new JsonObject());
        return metadata[name] as JsonObject ?? (JsonObject)(metadata[name] = new JsonObject());
    }
}
