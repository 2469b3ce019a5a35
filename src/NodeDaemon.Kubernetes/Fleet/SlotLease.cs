using System.Globalization;
using System.Text.Json.Nodes;
using NodeDaemon.Kubernetes.Annotations;

namespace NodeDaemon.Kubernetes.Fleet;

/// <summary>One slot Lease as listed: its slot index, version, holder and the digest the holder works on.</summary>
/// <param name="Name">The Lease's name.</param>
/// <param name="Index">The slot index in the name.</param>
/// <param name="ResourceVersion">The version every write to it is conditional on.</param>
/// <param name="Holder"><c>spec.holderIdentity</c>; empty when the slot is free.</param>
/// <param name="Digest">The digest annotation: what the holder works on; null when absent.</param>
/// <param name="Object">The Lease as listed, the base of a write (so an admin's labels and annotations survive).</param>
internal sealed record SlotLease(string Name, int Index, string ResourceVersion, string Holder, string? Digest, JsonObject Object)
{
    /// <summary>Whether someone holds the slot.</summary>
    public bool IsHeld => Holder.Length > 0;

    /// <summary>The node that handed the slot to <see cref="Holder"/>, while the holder has not taken it up; else null.</summary>
    public string? HandedOverBy { get; init; }

    /// <summary><c>spec.acquireTime</c>: when the holder got the slot (for a hand-over, when it was handed); null when absent.</summary>
    public DateTimeOffset? AcquiredAt { get; init; }

    /// <summary>The pool's slot count the last writer of the Lease saw (from its list of the pool's nodes); null when absent.</summary>
    public int? Slots { get; init; }

    /// <summary><c>spec.renewTime</c>: the Lease's last write by a holder; null when absent.</summary>
    public DateTimeOffset? RenewedAt { get; init; }

    /// <summary>The slot's last finished holds, newest first (<see cref="SlotLeaseKeys.Holds"/>).</summary>
    public IReadOnlyList<SlotHold> Holds { get; init; } = [];

    /// <summary>The slot Leases of <paramref name="pool"/> among the items of a LeaseList, by index.</summary>
    public static List<SlotLease> ReadList(JsonNode list, string pool, SlotLeaseKeys keys)
    {
        var leases = new List<SlotLease>();
        foreach (var item in list["items"] as JsonArray ?? [])
        {
            if (item is JsonObject obj && Read(obj, pool, keys) is { } lease)
            {
                leases.Add(lease);
            }
        }

        leases.Sort((a, b) => a.Index.CompareTo(b.Index));
        return leases;
    }

    /// <summary>The Lease <paramref name="lease"/> when it is a slot of <paramref name="pool"/>; else null.</summary>
    public static SlotLease? Read(JsonObject lease, string pool, SlotLeaseKeys keys)
    {
        var metadata = lease["metadata"];
        var name = NodeReader.Text(metadata?["name"]);
        if (SlotLeaseNames.IndexOf(name, pool) is not { } index)
        {
            return null;
        }

        var annotations = metadata?["annotations"];
        var digest = NodeReader.Text(annotations?[keys.Digest]);
        var by = NodeReader.Text(annotations?[keys.HandedOverBy]);
        var spec = lease["spec"];
        return new SlotLease(name, index, NodeReader.Text(metadata?["resourceVersion"]), NodeReader.Text(spec?["holderIdentity"]),
            digest.Length == 0 ? null : digest, lease)
        {
            HandedOverBy = by.Length == 0 ? null : by,
            AcquiredAt = Time(spec?["acquireTime"]),
            RenewedAt = Time(spec?["renewTime"]),
            Holds = SlotHold.Parse(NodeReader.Text(annotations?[keys.Holds])),
            Slots = int.TryParse(NodeReader.Text(annotations?[keys.Slots]), NumberStyles.None, CultureInfo.InvariantCulture, out var slots) && slots > 0
                ? slots : null,
        };
    }

    private static DateTimeOffset? Time(JsonNode? value) =>
        DateTimeOffset.TryParse(NodeReader.Text(value), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;
}
