namespace NodeDaemon.Sim.Fleet;

/// <summary>The raw outcome of one pool run, before it is compared with the lone node's calibration.</summary>
/// <param name="Settings">What ran.</param>
/// <param name="Observer">What the store saw.</param>
/// <param name="Nodes">Each node's track at the end.</param>
/// <param name="Agents">The simulated nodes (stopped).</param>
/// <param name="Requests">Requests from the annotation to the end, by <c>"verb resource"</c>.</param>
/// <param name="StartupRequests">Requests before the annotation.</param>
/// <param name="Errors">Requests answered with an error, by <c>"verb resource status"</c>.</param>
/// <param name="EndMs">Run time (since the annotation) at which the run ended.</param>
/// <param name="Converged">Every node but the failing ones Done, the failing ones Degraded.</param>
/// <param name="Halted">The pool ended halted.</param>
public sealed record FleetRun(
    FleetSettings Settings,
    FleetObserver Observer,
    IReadOnlyDictionary<string, NodeTrack> Nodes,
    IReadOnlyList<FleetAgent> Agents,
    IReadOnlyDictionary<string, int> Requests,
    IReadOnlyDictionary<string, int> StartupRequests,
    IReadOnlyDictionary<string, int> Errors,
    long EndMs,
    bool Converged,
    bool Halted)
{
    /// <summary>Nodes whose <c>Ready</c> condition was not <c>True</c> at the end (the kubelet model's last word).</summary>
    public IReadOnlyList<string> NotReadyNodes { get; init; } = [];

    /// <summary>Objects the server answered to the lists of each kind (<c>"list nodes"</c>), from the annotation to the end.</summary>
    public IReadOnlyDictionary<string, long> Listed { get; init; } = new Dictionary<string, long>();

    /// <summary>The API server's connections: open with every agent idle, at the run's peak, accepted during the run.</summary>
    public ConnectionFigures Connections { get; init; } = new(0, 0, 0, new Dictionary<string, int>());

    /// <summary>The harness's own figures over the run: its timer lag and the descriptors it held.</summary>
    public HarnessFigures Harness { get; init; } = new(0, 0, 0, 0, 0);
    /// <summary>The most pulls under way at once across the pool's hosts.</summary>
    public int PeakConcurrentPulls { get; init; }

    /// <summary>Mean real milliseconds from a node's first cordon to its Done, over the nodes that got there.</summary>
    public double MeanCordonToDoneMs =>
        Nodes.Values.Where(n => n is { CordonedAtMs: not null, DoneAtMs: not null }).Select(n => (double)(n.DoneAtMs!.Value - n.CordonedAtMs!.Value))
            .DefaultIfEmpty(0).Average();

    /// <summary>
    /// Mean real milliseconds from cordon to Done of the nodes that cordoned in each quarter of the run, in order: a pool
    /// slower at its start (every node staging at once) than later shows it here.
    /// </summary>
    public IReadOnlyList<double> CordonToDoneMsByQuarter()
    {
        var done = Nodes.Values.Where(n => n is { CordonedAtMs: not null, DoneAtMs: not null }).ToList();
        var end = Math.Max(1, done.Select(n => n.CordonedAtMs!.Value).DefaultIfEmpty(0).Max() + 1);
        return [.. Enumerable.Range(0, 4).Select(q => done.Where(n => n.CordonedAtMs!.Value * 4 / end == q)
            .Select(n => (double)(n.DoneAtMs!.Value - n.CordonedAtMs!.Value)).DefaultIfEmpty(0).Average())];
    }
}

/// <summary>What <see cref="HarnessProbe"/> saw over one pool run.</summary>
/// <param name="MeanLagMs">Mean real milliseconds a timer fired late: the harness's CPU starvation.</param>
/// <param name="P99LagMs">Its 99th percentile.</param>
/// <param name="PeakOpenFiles">The most file descriptors held at once.</param>
/// <param name="PeakSockets">The most sockets held at once (both ends of each loopback connection).</param>
/// <param name="IdleSockets">Sockets held with every agent idle, just before the annotation.</param>
public sealed record HarnessFigures(double MeanLagMs, double P99LagMs, int PeakOpenFiles, int PeakSockets, int IdleSockets);

/// <summary>The test API server's count of its connections over one pool run.</summary>
/// <param name="Idle">Open with every agent idle, just before the annotation.</param>
/// <param name="Peak">The most open at once during the run.</param>
/// <param name="Accepted">Accepted during the run (reconnects, restarts, reboots).</param>
/// <param name="ByProtocol">Those accepted during the run by protocol (<c>h2</c>, <c>http/1.1</c>).</param>
public sealed record ConnectionFigures(int Idle, int Peak, long Accepted, IReadOnlyDictionary<string, int> ByProtocol)
{
    /// <summary>Accepted while the agents started, before the annotation.</summary>
    public long StartupAccepted { get; init; }

    /// <summary>Why connections ended abnormally while the agents started, by reason (<c>ConnectionCounter.Ends</c>).</summary>
    public IReadOnlyDictionary<string, int> StartupEnds { get; init; } = new Dictionary<string, int>();

    /// <summary>Why connections ended abnormally during the run, by reason.</summary>
    public IReadOnlyDictionary<string, int> Ends { get; init; } = new Dictionary<string, int>();
}
