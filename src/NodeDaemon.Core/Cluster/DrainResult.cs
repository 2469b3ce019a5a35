namespace NodeDaemon.Core.Cluster;

/// <summary>The end of a drain: how it ended, a one-line message, and what blocked it.</summary>
/// <param name="Outcome">How it ended.</param>
/// <param name="Message">One line for the node's <c>reason</c>/<c>message</c>.</param>
/// <param name="Evicted">Pods gone (or accepted for eviction) out of <paramref name="Total"/>.</param>
/// <param name="Total">Pods the drain had to move.</param>
/// <param name="BlockingPods">Pods (<c>namespace/name</c>) still on the node, refused, or blocking the start.</param>
/// <param name="BlockingBudgets">Disruption budgets (<c>namespace/name</c>) that refused evictions, when known.</param>
public sealed record DrainResult(
    DrainOutcome Outcome,
    string Message,
    int Evicted,
    int Total,
    IReadOnlyList<string> BlockingPods,
    IReadOnlyList<string> BlockingBudgets)
{
    /// <summary>True when the node is drained.</summary>
    public bool Succeeded => Outcome == DrainOutcome.Drained;
}
