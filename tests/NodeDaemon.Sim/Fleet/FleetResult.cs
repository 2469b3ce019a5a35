namespace NodeDaemon.Sim.Fleet;

/// <summary>What <c>nodedaemon-sim fleet</c> prints: the run's outcome, its invariant checks, its timings and its API load.</summary>
public sealed record FleetResult
{
    /// <summary>Nodes in the pool.</summary>
    public int Nodes { get; init; }

    /// <summary>The pool's slots.</summary>
    public int MaxUnavailable { get; init; }

    /// <summary>The pool's <c>fleet.maxStaging</c> (0: unbounded).</summary>
    public int MaxStaging { get; init; }

    /// <summary>The most pulls under way at once across the pool's simulated hosts (what the registry saw).</summary>
    public int PeakConcurrentPulls { get; init; }

    /// <summary>Every node Done on the desired image, except the failing ones, which are Degraded.</summary>
    public bool Converged { get; init; }

    /// <summary>The run ended with the pool halted: waiting nodes told <c>pool halted</c>, nobody cordoned.</summary>
    public bool Halted { get; init; }

    /// <summary>The run met the invariant and ended as expected (the exit code is 0).</summary>
    public bool Passed { get; init; }

    /// <summary>Why it did not pass.</summary>
    public IReadOnlyList<string> Failures { get; init; } = [];

    /// <summary>The target was a bad image (<c>--bad-image</c>).</summary>
    public bool BadImage { get; init; }

    /// <summary>With <see cref="BadImage"/>: nodes whose host booted the bad image at least once (the blast radius).</summary>
    public int NodesBootedBadImage { get; init; }

    /// <summary>With <see cref="BadImage"/>: nodes that booted the bad image and later booted another one again (rolled back).</summary>
    public int NodesRolledBack { get; init; }

    /// <summary>With <see cref="BadImage"/>: nodes left on the bad image at the end.</summary>
    public int NodesOnBadImage { get; init; }

    /// <summary>With <see cref="BadImage"/>: nodes that never booted the bad image and are not schedulable on the old one at
    /// the end (cordoned, or booted on another image): with the blast radius bounded, none.</summary>
    public IReadOnlyList<string> UnschedulableBystanders { get; init; } = [];

    /// <summary>The agents' nominal <c>health.timeoutSeconds</c> (0: the gate off).</summary>
    public double HealthTimeoutSeconds { get; init; }

    /// <summary>Nominal seconds from the annotation to the last node Done (or to the halt).</summary>
    public double MakespanSeconds { get; init; }

    /// <summary>ceil(nodes / maxUnavailable) × T, with T a lone node's cordon-to-Done time (nominal seconds).</summary>
    public double IdealMakespanSeconds { get; init; }

    /// <summary><see cref="MakespanSeconds"/> / <see cref="IdealMakespanSeconds"/>.</summary>
    public double MakespanRatio { get; init; }

    /// <summary>T: the calibration node's cordon-to-Done time (nominal seconds).</summary>
    public double LoneNodeSeconds { get; init; }

    /// <summary>The pool's mean cordon-to-Done time (nominal seconds): T under the load of the whole pool.</summary>
    public double MeanCordonToDoneSeconds { get; init; }

    /// <summary><see cref="MeanCordonToDoneSeconds"/> / <see cref="LoneNodeSeconds"/>: how much slower one node's update is
    /// in the loaded pool than alone.</summary>
    public double CordonToDoneInflation { get; init; }

    /// <summary>
    /// Nominal seconds of the makespan that the slower updates of the loaded pool add: ceil(N/K) × (pool's mean
    /// cordon-to-Done − T). On a harness whose process runs every agent and the API server, mostly its own CPU starvation.
    /// </summary>
    public double StarvationSeconds { get; init; }

    /// <summary>Mean real milliseconds a 200 ms timer of the harness fired late during the run (0 on an idle machine).</summary>
    public double TimerLagMs { get; init; }

    /// <summary>The 99th percentile of <see cref="TimerLagMs"/>.</summary>
    public double TimerLagP99Ms { get; init; }

    /// <summary>The API server's open connections with every agent idle, per node: each daemon's connections at rest.</summary>
    public double ConnectionsPerNode { get; init; }

    /// <summary>The most connections open at once during the run, per node.</summary>
    public double PeakConnectionsPerNode { get; init; }

    /// <summary>Connections the API server accepted during the run, per node, and by protocol (<c>h2</c>, <c>http/1.1</c>).</summary>
    public double AcceptedConnectionsPerNode { get; init; }

    /// <summary>Connections accepted during the run by protocol.</summary>
    public IReadOnlyDictionary<string, int> ConnectionsByProtocol { get; init; } = new Dictionary<string, int>();

    /// <summary>Connections the API server accepted while the agents started (before the annotation), per node: 1.0
    /// when no connection broke while the pool came up.</summary>
    public double StartupConnectionsPerNode { get; init; }

    /// <summary>Why connections ended abnormally while the agents started, by reason as the server's Kestrel logged it
    /// (a client reset, or one of Kestrel's limits by name).</summary>
    public IReadOnlyDictionary<string, int> ConnectionEndsAtStartup { get; init; } = new Dictionary<string, int>();

    /// <summary>Why connections ended abnormally during the run, by reason.</summary>
    public IReadOnlyDictionary<string, int> ConnectionEnds { get; init; } = new Dictionary<string, int>();

    /// <summary>The most sockets the harness process held at once (both ends of every loopback connection are in it).</summary>
    public int PeakSockets { get; init; }

    /// <summary>The most file descriptors the process held at once (the hard limit here is 20,000).</summary>
    public int PeakOpenFiles { get; init; }

    /// <summary>Mean nominal cordon-to-Done seconds of the nodes that cordoned in each quarter of the run.</summary>
    public IReadOnlyList<double> CordonToDoneSecondsByQuarter { get; init; } = [];

    /// <summary>The most nodes cordoned at once, checked on every write.</summary>
    public int MaxConcurrentCordoned { get; init; }

    /// <summary>Writes after which more than maxUnavailable nodes were cordoned.</summary>
    public int CordonViolations { get; init; }

    /// <summary>Pod writes that left an application with fewer healthy pods than its budget allows.</summary>
    public int BudgetViolations { get; init; }

    /// <summary>API requests per node from the annotation to the end.</summary>
    public double ApiRequestsPerNode { get; init; }

    /// <summary>Requests per node by <c>"verb resource"</c>, the largest first.</summary>
    public IReadOnlyDictionary<string, double> ApiRequestsPerNodeByKind { get; init; } = new Dictionary<string, double>();

    /// <summary>Objects returned by lists, per node, by <c>"list resource"</c>: a list that reads the whole pool costs N here,
    /// so a figure that grows with N is a read that grows with the pool.</summary>
    public IReadOnlyDictionary<string, double> ObjectsListedPerNode { get; init; } = new Dictionary<string, double>();

    /// <summary>Requests answered with an error, by <c>"verb resource status"</c>.</summary>
    public IReadOnlyDictionary<string, int> ApiErrors { get; init; } = new Dictionary<string, int>();

    /// <summary>Requests before the annotation (start-up of every agent), per node.</summary>
    public double StartupRequestsPerNode { get; init; }

    /// <summary>Lease writes refused with 409 (a lost race for a slot, or a stale read).</summary>
    public int LeaseConflicts { get; init; }

    /// <summary>Leases that came to name a new holder.</summary>
    public int SlotGrants { get; init; }

    /// <summary>Grants that were a hand-over from the previous holder (no race for the freed slot).</summary>
    public int SlotHandOvers { get; init; }

    /// <summary>Times a held slot was left free, waking every waiting node.</summary>
    public int SlotsFreed { get; init; }

    /// <summary>Mean nominal seconds from a holder's Done to its Lease naming the next node.</summary>
    public double MeanDoneToHandOverSeconds { get; init; }

    /// <summary>Mean nominal seconds from a Lease naming a node to that node's cordon.</summary>
    public double MeanHandOverToCordonSeconds { get; init; }

    /// <summary>Nominal seconds from the annotation to the first cordon: the start-up race for the first slots.</summary>
    public double FirstCordonSeconds { get; init; }

    /// <summary>
    /// The share of slot time from the first cordon to the end spent between cordon and Done: the makespan beyond
    /// <see cref="FirstCordonSeconds"/> is (nodes × mean cordon-to-Done) / (slots × this).
    /// </summary>
    public double SlotUtilization { get; init; }

    /// <summary>Slots granted after the pool had haltAfterFailures Degraded nodes.</summary>
    public int SlotGrantsAfterHalt { get; init; }

    /// <summary>Mean nominal seconds per node in each phase after the annotation.</summary>
    public IReadOnlyDictionary<string, double> MeanPhaseSeconds { get; init; } = new Dictionary<string, double>();

    /// <summary>Nodes Done on the desired image.</summary>
    public int DoneNodes { get; init; }

    /// <summary>Nodes that ended Degraded.</summary>
    public IReadOnlyList<string> DegradedNodes { get; init; } = [];

    /// <summary>Why each of <see cref="DegradedNodes"/> is Degraded: its <c>message</c> annotation as it reported it (the reason, and what it did about it).</summary>
    public IReadOnlyDictionary<string, string> DegradedMessages { get; init; } = new Dictionary<string, string>();

    /// <summary>The nodes made to lose their stage at every boot.</summary>
    public IReadOnlyList<string> FailingNodes { get; init; } = [];

    /// <summary>Nodes not Done and not Degraded at the end, with their phase and message.</summary>
    public IReadOnlyList<string> Unsettled { get; init; } = [];

    /// <summary>Simulated daemon crashes.</summary>
    public int Crashes { get; init; }

    /// <summary>Agent loops that ended with an exception (a daemon exit 1, restarted), and the last such error.</summary>
    public int LoopFailures { get; init; }

    /// <summary>The last exception that ended a loop.</summary>
    public string? LastLoopFailure { get; init; }

    /// <summary>The ten most frequent reasons loops ended with an exception (type and the message's first line), with their counts.</summary>
    public IReadOnlyDictionary<string, int> LoopFailuresByReason { get; init; } = new Dictionary<string, int>();

    /// <summary>Reboots carried out.</summary>
    public int Reboots { get; init; }

    /// <summary>Real seconds of the whole command (calibration included).</summary>
    public double WallSeconds { get; init; }

    /// <summary>Real seconds of the pool's run from the annotation to the end.</summary>
    public double RunWallSeconds { get; init; }

    /// <summary>The time scale: real seconds per nominal second.</summary>
    public double TimeScale { get; init; }

    /// <summary>The nominal slot recheck base.</summary>
    public double SlotRecheckSeconds { get; init; }

    /// <summary>The nominal watch timeout the agents ran with (the real default, unless the time scale made it longer).</summary>
    public double WatchTimeoutSeconds { get; init; }

    /// <summary>The nominal watch timeout of a refused node's slot watch (the daemon's 12 h).</summary>
    public double WaitWatchTimeoutSeconds { get; init; }
}
