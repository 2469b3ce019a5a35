namespace NodeDaemon.Core.Agent;

/// <summary>What the decision needs to know about the own Node object.</summary>
/// <param name="DesiredImage">The raw <c>desired-image</c> annotation; null when absent.</param>
/// <param name="Paused">The <c>paused</c> annotation is <c>true</c>.</param>
/// <param name="Unschedulable">The node's <c>spec.unschedulable</c>, whoever set it.</param>
/// <param name="CordonedByUs">The <c>cordoned-by</c> annotation marks a cordon this daemon made.</param>
/// <param name="Pool">
/// The value of the <c>fleet.poolLabel</c> label (may be empty); null when the node lacks the label, or when fleet
/// coordination is off and nobody asked.
/// </param>
public sealed record NodeView(string? DesiredImage, bool Paused, bool Unschedulable, bool CordonedByUs, string? Pool = null);
