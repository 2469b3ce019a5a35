using NodeDaemon.Core.Options;

namespace NodeDaemon.Kubernetes.Fleet;

/// <summary>How the staging slot client finds its pool's staging Leases and how long one lasts unrenewed; the defaults are for a real cluster.</summary>
public sealed record LeaseStagingSlotClientOptions : LeasePoolClientOptions
{
    /// <summary>The label that marks a pool's staging Leases (its value: the pool's segment of the names), so one small list finds them.</summary>
    public string PoolLabelKey { get; init; } = NodeDaemonOptionsDefaults.AnnotationPrefix + "staging-pool";

    /// <summary>
    /// The label naming a staging Lease's holder (<see cref="SlotLeaseNames.HolderLabel"/>), so a node waiting for a slot
    /// watches only the Leases handed to it. Not the disruption slots' <c>slot-holder</c>, whose watches must not see these.
    /// </summary>
    public string HolderLabelKey { get; init; } = NodeDaemonOptionsDefaults.AnnotationPrefix + "staging-holder";

    /// <summary>The annotation naming the image the holder pulls, for people and tools.</summary>
    public string ImageKey { get; init; } = NodeDaemonOptionsDefaults.AnnotationPrefix + "staging-image";

    /// <summary>
    /// The annotation naming the node that last gave the slot back, its pull ended. It has not reported <c>Staged</c> yet
    /// when it gives the slot back (that report comes with its next step), so a holder finishing soon after reads it in
    /// the pool as waiting to pull; this keeps the hand-over (<see cref="StagingPlanner.Successor"/>) from choosing it.
    /// </summary>
    public string GivenBackByKey { get; init; } = NodeDaemonOptionsDefaults.AnnotationPrefix + "staging-given-back-by";

    /// <summary>
    /// How long a staging slot stays held without a renewal (<c>spec.leaseDurationSeconds</c>). The holder renews it every
    /// third of this while it pulls; one that stops (crashed, killed, its node gone) loses it this long after its last
    /// renewal. Short, because a slot held too long stalls pulls, while one taken too early costs one extra pull for a while.
    /// </summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// The <c>spec.leaseDurationSeconds</c> of a staging slot handed to a waiting node: a third of
    /// <see cref="LeaseDuration"/>, the holder's own renewal interval. A waiting node watches for it and takes it up within
    /// moments; one that does not (it crashed, or finished its pull before the hand-over read the pool) stalls the slot
    /// only this long.
    /// </summary>
    public TimeSpan HandOverDuration => LeaseDuration / 3;

    /// <summary>How long the pool's size from a node list answers a percentage <c>maxStaging</c> before the nodes are listed again.</summary>
    public TimeSpan PoolRecheck { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Options for <paramref name="options"/>: its fleet section, protocol and prefix.</summary>
    public static LeaseStagingSlotClientOptions From(NodeDaemonOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new LeaseStagingSlotClientOptions
        {
            Fleet = options.Fleet,
            NodeKeys = NodeKeysOf(options),
            PoolLabelKey = options.AnnotationPrefix + "staging-pool",
            HolderLabelKey = options.AnnotationPrefix + "staging-holder",
            ImageKey = options.AnnotationPrefix + "staging-image",
            GivenBackByKey = options.AnnotationPrefix + "staging-given-back-by",
        };
    }
}
