using NodeDaemon.Core.Cluster;
using NodeDaemon.Core.Options;
using NodeDaemon.Kubernetes.Fleet;

namespace NodeDaemon.Cli.Rollout;

/// <summary>What the rollout verbs read from the daemons' configuration: the keys, the pool label, the slot Leases, the halt.</summary>
/// <param name="Options">The daemons' options, as loaded from the same drop-ins the nodes read.</param>
/// <param name="Keys">The protocol's node annotation keys.</param>
/// <param name="SlotKeys">The slot Leases' annotation keys.</param>
/// <param name="RejectedImage">The annotation the health gate writes with the digest reference it rejected.</param>
/// <param name="PreviousImage">The annotation <c>rollout start</c> writes with the node's desired image before it (what <c>undo</c> restores).</param>
/// <param name="StartedAt">The annotation <c>rollout start</c> writes with the time it annotated the node (the ETA's clock).</param>
internal sealed record RolloutSettings(NodeDaemonOptions Options, AnnotationKeys Keys, SlotLeaseKeys SlotKeys, string RejectedImage, string PreviousImage,
    string StartedAt)
{
    /// <summary>The label whose value names a node's pool.</summary>
    public string PoolLabel => Options.Fleet.PoolLabel;

    /// <summary>The settings for <paramref name="options"/>.</summary>
    public static RolloutSettings From(NodeDaemonOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var prefix = options.AnnotationPrefix;
        return new RolloutSettings(options, AnnotationKeys.For(options.Protocol, prefix), SlotLeaseKeys.For(prefix),
            prefix + "rejected-image", prefix + "rollout-previous-image", prefix + "rollout-started-at");
    }
}
