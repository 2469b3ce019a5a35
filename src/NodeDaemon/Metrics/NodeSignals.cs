using NodeDaemon.Core.Agent;
using NodeDaemon.Core.Cluster;

namespace NodeDaemon.Metrics;

/// <summary>What the alerts need from a turn beyond the phase: our cordon, a halted pool, a rejected image (docs/operations.md, "Alerts").</summary>
/// <param name="CordonedByUs">The node carries a cordon the daemon made (unschedulable and our mark): the cordon alert's series.</param>
/// <param name="Pool">The node's pool (fleet coordination on and the label present); null otherwise.</param>
/// <param name="PoolHalted">The node waits for a slot because its pool is halted (too many nodes Degraded on its image).</param>
/// <param name="RejectedImage">The image the health gate rejected on this node (the <c>rejected-image</c> annotation), or null.</param>
public sealed record NodeSignals(bool CordonedByUs, string? Pool, bool PoolHalted, string? RejectedImage)
{
    /// <summary>Nothing known yet: no cordon, no pool, no halt, no rejected image.</summary>
    public static NodeSignals None { get; } = new(false, null, false, null);

    /// <summary>The annotation (under the daemon's prefix) that names the image the health gate rejected.</summary>
    public static string RejectedImageKey(string prefix) => prefix + "rejected-image";

    /// <summary>The signals of one turn: the node as read, the decision taken on it, and whether the last slot answer was a halt.</summary>
    /// <param name="snapshot">The node the turn decided on.</param>
    /// <param name="view">The same node as the decision read it.</param>
    /// <param name="decision">The turn's decision.</param>
    /// <param name="lastSlotAnswerHalted">Whether the slot seam's last answer to this node was <c>Halted</c>.</param>
    /// <param name="prefix">The annotation prefix in force.</param>
    public static NodeSignals From(NodeSnapshot snapshot, NodeView view, Decision decision, bool lastSlotAnswerHalted, string prefix)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(decision);
        var rejected = snapshot.Annotation(RejectedImageKey(prefix));
        return new NodeSignals(
            view.CordonedByUs,
            view.Pool,
            // A halt answer counts only while the node still waits on it: a slot taken, or nothing desired any more, ends it.
            lastSlotAnswerHalted && decision.State == AgentState.WaitingForSlot,
            string.IsNullOrWhiteSpace(rejected) ? null : rejected.Trim());
    }
}
