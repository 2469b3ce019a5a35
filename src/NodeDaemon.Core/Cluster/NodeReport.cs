using NodeDaemon.Core.Agent;

namespace NodeDaemon.Core.Cluster;

/// <summary>What the daemon reports on its node's output annotations.</summary>
/// <param name="State">The coarse condition (<c>state</c>).</param>
/// <param name="Phase">The agent state (<c>phase</c>).</param>
/// <param name="Reason">Why it is Degraded; empty otherwise. Truncated to 2000 characters when written.</param>
/// <param name="Message">The latest progress line.</param>
/// <param name="CurrentImage">The booted image pullspec with digest; null leaves the annotation as it is.</param>
public sealed record NodeReport(AgentCondition State, AgentState Phase, string Reason, string Message, string? CurrentImage)
{
    /// <summary>The <c>rejected-image</c> annotation: a digest reference, empty to remove it, null to leave it as it is.</summary>
    public string? RejectedImage { get; init; }
}
