using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NodeDaemon.Agent;
using NodeDaemon.Core.Host;
using NodeDaemon.Kubernetes;
using NodeDaemon.Kubernetes.Api;
using NodeDaemon.Metrics;
using NodeDaemon.Systemd;

namespace NodeDaemon.Hosting;

/// <summary>What the process around the agent gives <see cref="AgentComposition"/>: the parts in which the daemon and the fleet simulation differ.</summary>
/// <remarks>Each part left unset is what the daemon uses; the fleet sets the host it simulates, its boot id, and faster
/// timings for a whole pool on one machine.</remarks>
/// <param name="Time">The clock of every adapter and of the loop.</param>
/// <param name="Heartbeat">What the loop beats (the watchdog and the health check read it).</param>
/// <param name="Status">The systemd STATUS line.</param>
public sealed record AgentCompositionParts(TimeProvider Time, AgentHeartbeat Heartbeat, StatusReporter Status)
{
    /// <summary>Where every adapter logs; nowhere by default.</summary>
    public ILoggerFactory Loggers { get; init; } = NullLoggerFactory.Instance;

    /// <summary>Transitions, durations and failures of the loop; nothing by default.</summary>
    public IAgentMetrics Metrics { get; init; } = NoAgentMetrics.Instance;

    /// <summary><c>AgentLoop.Turns</c>: told when each turn starts and ends (the daemon's <see cref="IdleTrim"/>); nothing by default.</summary>
    public ITurnListener Turns { get; init; } = NoTurnListener.Instance;

    /// <summary>Told of every API request; nothing by default.</summary>
    public IApiRequestObserver ApiRequests { get; init; } = NoApiRequestObserver.Instance;

    /// <summary>Called once the kubeconfig is known to make the API server's check need no system trust store (its CA
    /// alone decides): <see cref="SystemTrustStore.LeaveUnloaded"/> by default.</summary>
    public Action SystemTrust { get; init; } = static () => SystemTrustStore.LeaveUnloaded();

    /// <summary>The system bus (rpm-ostreed, logind); read from the environment when unset.</summary>
    public string? BusAddress { get; init; }

    /// <summary>A host to use instead of the backend the options name. It is the caller's: it outlives the composition and is not disposed with it.</summary>
    public IHostSystem? Host { get; init; }

    /// <summary>The current boot's id; the <c>bootIdFile</c> option's file when unset.</summary>
    public IBootIdSource? BootId { get; init; }

    /// <summary>The node client's options; <see cref="KubeNodeClientOptions.From"/> the daemon's options when unset. The slot client uses its transport too.</summary>
    public KubeNodeClientOptions? NodeClient { get; init; }

    /// <summary><c>LeaseSlotClientOptions.PoolRecheck</c>; its default when unset.</summary>
    public TimeSpan? PoolRecheck { get; init; }

    /// <summary><c>LeasePoolClientOptions.WaitWatchTimeout</c> of both slot clients; its default when unset.</summary>
    public TimeSpan? WaitWatchTimeout { get; init; }

    /// <summary>The daemon's <see cref="IdleTick"/> unless the watchdog asks for more.</summary>
    public static readonly TimeSpan DefaultIdleTick = TimeSpan.FromSeconds(30);

    /// <summary><c>AgentLoop.IdleTick</c>: how often an idle loop looks again (and beats).</summary>
    public TimeSpan IdleTick { get; init; } = DefaultIdleTick;

    /// <summary><c>AgentLoop.SlotRecheck</c>.</summary>
    public TimeSpan SlotRecheck { get; init; } = AgentLoop.DefaultSlotRecheck;

    /// <summary><c>AgentLoop.StagingRecheck</c>.</summary>
    public TimeSpan StagingRecheck { get; init; } = AgentLoop.DefaultStagingRecheck;

    /// <summary><c>LeaseStagingSlotClientOptions.LeaseDuration</c>; its default when unset.</summary>
    public TimeSpan? StagingLeaseDuration { get; init; }

    /// <summary><c>AgentLoop.ProgressReportInterval</c>; the <c>progressIntervalSeconds</c> option when unset.</summary>
    public TimeSpan? ProgressReportInterval { get; init; }
}
