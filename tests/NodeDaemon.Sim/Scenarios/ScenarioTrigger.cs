namespace NodeDaemon.Sim.Scenarios;

/// <summary>A moment in a run: every condition given must hold (an empty trigger fires at once); it fires once.</summary>
public sealed record ScenarioTrigger
{
    /// <summary>The node's <c>phase</c> annotation is this.</summary>
    public string? Phase { get; init; }

    /// <summary>The node's <c>state</c> annotation is this.</summary>
    public string? State { get; init; }

    /// <summary>The host is in this boot (0 is the first; each reboot adds one).</summary>
    public int? Boot { get; init; }

    /// <summary>The host has emitted this lifecycle event in the current boot: <c>transaction-started</c>,
    /// <c>transaction-finished</c> or <c>reboot-requested</c>, optionally <c>:Method</c> (<c>transaction-started:Rebase</c>).</summary>
    public string? HostEvent { get; init; }

    /// <summary>At least this many pods have been evicted.</summary>
    public int? Evictions { get; init; }

    /// <summary>The node's <c>reason</c> annotation contains this text.</summary>
    public string? ReasonContains { get; init; }

    /// <summary>The daemon has been restarted by Restart= at least this many times.</summary>
    public int? DaemonRestarts { get; init; }

    /// <summary>Daemon runs have ended by themselves (not stopped or killed by the runner) at least this many times.</summary>
    public int? DaemonExits { get; init; }

    /// <summary>The node's <c>spec.unschedulable</c> is this (false: the node was given back, or never cordoned).</summary>
    public bool? Unschedulable { get; init; }

    /// <summary>Fire this long after the conditions first held.</summary>
    public int AfterMilliseconds { get; init; }

    /// <summary>Whether the conditions hold in <paramref name="now"/>.</summary>
    public bool Holds(RunSnapshot now)
    {
        ArgumentNullException.ThrowIfNull(now);
        return (Phase is null || Phase == now.Phase)
            && (State is null || State == now.State)
            && (Boot is null || Boot == now.Boot)
            && (Evictions is null || now.Evictions >= Evictions)
            && (DaemonRestarts is null || now.DaemonRestarts >= DaemonRestarts)
            && (DaemonExits is null || now.DaemonExits >= DaemonExits)
            && (ReasonContains is null || now.Reason?.Contains(ReasonContains, StringComparison.Ordinal) == true)
            && (HostEvent is null || now.HostEventsThisBoot.Contains(HostEvent))
            && (Unschedulable is null || Unschedulable == now.Unschedulable);
    }
}

/// <summary>What the runner sees at one tick, for triggers.</summary>
/// <param name="Phase">The node's phase annotation.</param>
/// <param name="State">The node's state annotation.</param>
/// <param name="Boot">The host's boot index.</param>
/// <param name="Evictions">Pods evicted so far.</param>
/// <param name="HostEventsThisBoot">Host lifecycle events of this boot, as <c>event</c> and <c>event:Method</c>.</param>
/// <param name="DaemonRestarts">Restarts of the daemon by Restart= so far.</param>
/// <param name="DaemonExits">Daemon runs that ended by themselves so far (an exit, a watchdog kill).</param>
/// <param name="Reason">The node's reason annotation.</param>
/// <param name="Unschedulable">The node's <c>spec.unschedulable</c>.</param>
public sealed record RunSnapshot(string? Phase, string? State, int Boot, int Evictions, IReadOnlySet<string> HostEventsThisBoot, int DaemonRestarts = 0,
    int DaemonExits = 0, string? Reason = null, bool Unschedulable = false);
