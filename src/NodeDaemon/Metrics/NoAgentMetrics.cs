using NodeDaemon.Core.Agent;

namespace NodeDaemon.Metrics;

/// <summary>The metrics that record nothing: what the loop reports to when <c>metrics.listen</c> is empty.</summary>
public sealed class NoAgentMetrics : IAgentMetrics
{
    /// <summary>The one instance.</summary>
    public static readonly NoAgentMetrics Instance = new();

    private NoAgentMetrics()
    {
    }

    /// <inheritdoc />
    public void Transitioned(AgentState previous, AgentState current, AgentCondition condition)
    {
    }

    /// <inheritdoc />
    public void StageCompleted(TimeSpan duration)
    {
    }

    /// <inheritdoc />
    public void DrainCompleted(TimeSpan duration)
    {
    }

    /// <inheritdoc />
    public void RebootCompleted(TimeSpan duration)
    {
    }

    /// <inheritdoc />
    public void Failed(FailureKind kind)
    {
    }

    /// <inheritdoc />
    public void Observed(NodeSignals signals)
    {
    }

    /// <inheritdoc />
    public void Booted(string image, string digest)
    {
    }
}
