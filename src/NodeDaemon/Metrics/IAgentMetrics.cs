using NodeDaemon.Core.Agent;

namespace NodeDaemon.Metrics;

/// <summary>What the agent loop tells its metrics: the one seam between deciding and acting and being measured.</summary>
/// <remarks>Kept out of Core on purpose: the decisions stay pure, and only the executor, which sees durations and
/// failures as they happen, reports them. Calls must be cheap and must not throw: they sit on the agent's path.</remarks>
public interface IAgentMetrics
{
    /// <summary>The agent went from <paramref name="previous"/> to <paramref name="current"/>, whose coarse condition is <paramref name="condition"/>.</summary>
    void Transitioned(AgentState previous, AgentState current, AgentCondition condition);

    /// <summary>A stage (pull and deploy) succeeded after <paramref name="duration"/>.</summary>
    void StageCompleted(TimeSpan duration);

    /// <summary>A drain succeeded after <paramref name="duration"/>.</summary>
    void DrainCompleted(TimeSpan duration);

    /// <summary>The node was verified on the desired image <paramref name="duration"/> after the reboot was requested.</summary>
    void RebootCompleted(TimeSpan duration);

    /// <summary>Something failed; counted by <paramref name="kind"/>.</summary>
    void Failed(FailureKind kind);

    /// <summary>The host runs <paramref name="image"/> (a repository) at <paramref name="digest"/>.</summary>
    void Booted(string image, string digest);

    /// <summary>What a turn saw that the alerts watch: our cordon, a halted pool, a rejected image.</summary>
    void Observed(NodeSignals signals);
}
