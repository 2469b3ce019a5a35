using NodeDaemon.Core.Health;
using NodeDaemon.Metrics;

namespace NodeDaemon.Agent;

/// <summary>The loop's tunables, set once through <see cref="AgentLoop"/>'s init properties and read by its executors.</summary>
/// <remarks>One object shared by reference: the loop's init properties are set after its executors are built.</remarks>
internal sealed class AgentLoopSettings(TimeSpan progressReportInterval)
{
    /// <summary>See <see cref="AgentLoop.ProgressReportInterval"/>.</summary>
    public TimeSpan ProgressReportInterval { get; set; } = progressReportInterval;

    /// <summary>See <see cref="AgentLoop.IdleTick"/>.</summary>
    public TimeSpan IdleTick { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>See <see cref="AgentLoop.Metrics"/>.</summary>
    public IAgentMetrics Metrics { get; set; } = NoAgentMetrics.Instance;

    /// <summary>See <see cref="AgentLoop.FailedTurnsReported"/>.</summary>
    public int FailedTurnsReported { get; set; } = 3;

    /// <summary>See <see cref="AgentLoop.TurnRetryDelay"/>.</summary>
    public TimeSpan TurnRetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>See <see cref="AgentLoop.HealthGate"/>.</summary>
    public IHealthGate HealthGate { get; set; } = NoHealthGate.Instance;

    /// <summary>See <see cref="AgentLoop.MaxTurnRetryDelay"/>.</summary>
    public TimeSpan MaxTurnRetryDelay { get; set; } = TimeSpan.FromMinutes(5);
}
