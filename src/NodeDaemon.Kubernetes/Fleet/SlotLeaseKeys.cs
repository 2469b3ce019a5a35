using NodeDaemon.Core.Options;

namespace NodeDaemon.Kubernetes.Fleet;

/// <summary>The annotations and the label a slot Lease carries besides its spec.</summary>
/// <param name="Digest">Annotation: the digest the holder works on.</param>
/// <param name="HandedOverBy">Annotation: the node that handed the slot to its holder, present until the holder takes it up.</param>
/// <param name="Slots">Annotation: the pool's slot count as the holder's last list of the pool's nodes gave it.</param>
/// <param name="Holder">
/// Label: the holder as a label value, or <see cref="SlotLeaseNames.FreeLabel"/>: a waiting node watches only the Leases
/// that name it or are free, so a Lease write reaches two or three watchers instead of every waiting node of the pool.
/// </param>
public sealed record SlotLeaseKeys(string Digest, string HandedOverBy, string Slots, string Holder)
{
    /// <summary>Annotation: the slot's last finished holds (<see cref="SlotHold"/>), newest first, for the rollout's ETA.</summary>
    public string Holds { get; init; } = NodeDaemonOptionsDefaults.AnnotationPrefix + "slot-holds";

    /// <summary>The keys under <paramref name="prefix"/> (<c>nodedaemon.io/</c>).</summary>
    public static SlotLeaseKeys For(string prefix) =>
        new(prefix + "desired-digest", prefix + "handed-over-by", prefix + "pool-slots", prefix + "slot-holder") { Holds = prefix + "slot-holds" };

    /// <summary>The keys under the default prefix.</summary>
    public static SlotLeaseKeys Default { get; } = For(NodeDaemonOptionsDefaults.AnnotationPrefix);
}
