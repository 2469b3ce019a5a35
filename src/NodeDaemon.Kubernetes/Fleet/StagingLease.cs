using System.Globalization;
using System.Text.Json.Nodes;
using NodeDaemon.Kubernetes.Annotations;

namespace NodeDaemon.Kubernetes.Fleet;

/// <summary>One staging slot Lease as listed: index, version, holder, and until when the holder's last renewal keeps it.</summary>
/// <param name="Name">The Lease's name.</param>
/// <param name="Index">The staging slot index in the name.</param>
/// <param name="ResourceVersion">The version every write to it is conditional on.</param>
/// <param name="Holder"><c>spec.holderIdentity</c>; empty when the slot is free.</param>
/// <param name="RenewedAt"><c>spec.renewTime</c>; null when absent.</param>
/// <param name="Duration"><c>spec.leaseDurationSeconds</c>; null when absent.</param>
/// <param name="Object">The Lease as listed, the base of a write (so an admin's labels and annotations survive).</param>
internal sealed record StagingLease(string Name, int Index, string ResourceVersion, string Holder, DateTimeOffset? RenewedAt, TimeSpan? Duration, JsonObject Object)
{
    /// <summary>The node that last gave this slot back, its pull ended (the <see cref="LeaseStagingSlotClientOptions.GivenBackByKey"/>
    /// annotation); empty when none did.</summary>
    public string GivenBackBy { get; init; } = "";

    /// <summary>Whether a node holds it and renewed it within its duration at <paramref name="now"/>.</summary>
    /// <remarks>A holder without a renewal time or duration is taken as expired: nothing says it is alive.</remarks>
    public bool IsLive(DateTimeOffset now) => Holder.Length > 0 && RenewedAt is { } renewed && Duration is { } duration && now < renewed + duration;

    /// <summary>The staging Leases of <paramref name="pool"/> among the items of a LeaseList, by index; <paramref name="givenBackByKey"/>
    /// names the annotation of <see cref="GivenBackBy"/>.</summary>
    public static List<StagingLease> ReadList(JsonNode list, string pool, string givenBackByKey)
    {
        var leases = new List<StagingLease>();
        foreach (var item in list["items"] as JsonArray ?? [])
        {
            if (item is JsonObject obj && Read(obj, pool, givenBackByKey) is { } lease)
            {
                leases.Add(lease);
            }
        }

        leases.Sort((a, b) => a.Index.CompareTo(b.Index));
        return leases;
    }

    /// <summary>The Lease <paramref name="lease"/> when it is a staging slot of <paramref name="pool"/>; else null.</summary>
    public static StagingLease? Read(JsonObject lease, string pool, string givenBackByKey)
    {
        var metadata = lease["metadata"];
        var name = NodeReader.Text(metadata?["name"]);
        if (StagingLeaseNames.IndexOf(name, pool) is not { } index)
        {
            return null;
        }

        var spec = lease["spec"];
        var renewed = DateTimeOffset.TryParse(NodeReader.Text(spec?["renewTime"]), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at : (DateTimeOffset?)null;
        var duration = spec?["leaseDurationSeconds"] is JsonValue v && v.TryGetValue<int>(out var seconds) && seconds > 0 ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
        return new StagingLease(name, index, NodeReader.Text(metadata?["resourceVersion"]), NodeReader.Text(spec?["holderIdentity"]), renewed, duration, lease)
        {
            GivenBackBy = NodeReader.Text(metadata?["annotations"]?[givenBackByKey]),
        };
    }
}
