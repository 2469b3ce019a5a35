using NodeDaemon.Core.Fleet;
using NodeDaemon.Core.Health;
using NodeDaemon.Metrics;

namespace NodeDaemon.Agent;

/// <summary>The agent loop's tunables (kept in <see cref="AgentLoopSettings"/>, which its executors read) and its failure count.</summary>
public sealed partial class AgentLoop
{
    /// <summary>The shortest time between a write to the node and a progress line written to its <c>message</c> after it.</summary>
    /// <remarks>The <c>progressIntervalSeconds</c> option unless set.</remarks>
    public TimeSpan ProgressReportInterval { get => _settings.ProgressReportInterval; init => _settings.ProgressReportInterval = value; }

    /// <summary>How often an idle loop looks again (and beats) without a change from the watch.</summary>
    public TimeSpan IdleTick { get => _settings.IdleTick; init => _settings.IdleTick = value; }

    /// <summary>Where transitions, durations and failures are reported; nothing by default.</summary>
    public IAgentMetrics Metrics { get => _settings.Metrics; init => _settings.Metrics = value; }

    /// <summary>The daemon's <see cref="SlotRecheck"/>: a full pool is asked again after 30 to 60 minutes, its watch says sooner.</summary>
    public static readonly TimeSpan DefaultSlotRecheck = TimeSpan.FromMinutes(30);

    /// <summary>The base time before a full or halted pool is asked again for a slot; the wait is 1–2 times this.</summary>
    public TimeSpan SlotRecheck { get => _slot.Recheck; init => _slot.Recheck = value; }

    /// <summary>The daemon's <see cref="StagingRecheck"/>: a node refused a staging slot asks again after 30 to 60 seconds, doubling
    /// with each refusal in a row up to 8 times that (the rule is <c>StagingRecheck</c> in Core).</summary>
    /// <remarks>Short, as pulls take minutes; each ask is one small Lease list (docs/protocol.md, "Staging slots").</remarks>
    public static readonly TimeSpan DefaultStagingRecheck = TimeSpan.FromSeconds(30);

    /// <summary>The base time before a full pool is asked again for a staging slot; the wait is 1–2 times this.</summary>
    public TimeSpan StagingRecheck { get => _staging.Recheck; init => _staging.Recheck = value; }

    /// <summary>The staging slot seam (<c>fleet.maxStaging</c>); by default one that is never asked (pulls unbounded).</summary>
    public IStagingSlotClient StagingSlots { get => _staging.Client; init => _staging.Client = value; }

    /// <summary>How long the first turn waits for the watch's first snapshot before it reads the node itself.</summary>
    public TimeSpan FirstSnapshotWait { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The health gate asked after a boot of ours while <c>health.timeoutSeconds</c> is on; by default one that
    /// waits for ever (<see cref="NoHealthGate"/>): never Done unjudged, never rolled back on no evidence.</summary>
    public IHealthGate HealthGate { get => _settings.HealthGate; init => _settings.HealthGate = value; }

    /// <summary>Failed turns in a row after which the node's <c>reason</c> says so.</summary>
    public int FailedTurnsReported { get => _settings.FailedTurnsReported; init => _settings.FailedTurnsReported = value; }

    /// <summary>The wait after the first failed turn; it doubles with each further failure in a row, up to <see cref="MaxTurnRetryDelay"/>, give or take half.</summary>
    public TimeSpan TurnRetryDelay { get => _settings.TurnRetryDelay; init => _settings.TurnRetryDelay = value; }

    /// <summary>The longest wait between two failed turns.</summary>
    public TimeSpan MaxTurnRetryDelay { get => _settings.MaxTurnRetryDelay; init => _settings.MaxTurnRetryDelay = value; }

    /// <summary>Told when each turn starts and ends (the daemon's idle trim); nothing by default.</summary>
    public ITurnListener Turns { get; init; } = NoTurnListener.Instance;

    /// <summary>Turns that failed in a row, up to now.</summary>
    public int FailedTurnsInARow => _failures.InARow;
}
