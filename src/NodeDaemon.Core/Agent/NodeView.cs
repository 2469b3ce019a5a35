namespace NodeDaemon.Core.Agent;

/// <summary>What the decision needs to know about the own Node object.</summary>
/// <param name="DesiredImage">The raw <c>desired-image</c> annotation; null when absent.</param>
/// <param name="Paused">The <c>paused</c> annotation is <c>true</c>.</param>
/// <param name="Unschedulable">The node's <c>spec.unschedulable</c>, whoever set it.</param>
/// <param name="CordonedByUs">
/// The node is unschedulable and carries our <c>cordoned-by</c> mark: a cordon this daemon made. A mark alone is not
/// enough: <c>kubectl uncordon</c> clears <c>spec.unschedulable</c> only, so the mark outlives our cordon.
/// </param>
/// <param name="Pool">
/// The value of the <c>fleet.poolLabel</c> label (may be empty); null when the node lacks the label, or when fleet
/// coordination is off and nobody asked.
/// </param>
/// <param name="StaleMark">
/// Our mark on a schedulable node: someone lifted our cordon and left the mark. It is removed at once, else an admin's
/// later cordon would look like ours and be lifted.
/// </param>
/// <param name="RejectedImage">The <c>rejected-image</c> annotation: the digest reference the daemon will not stage again; null when absent.</param>
public sealed record NodeView(string? DesiredImage, bool Paused, bool Unschedulable, bool CordonedByUs, string? Pool = null, bool StaleMark = false,
    string? RejectedImage = null);
