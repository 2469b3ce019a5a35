namespace NodeDaemon.Sim.KubeApi.Faults;

/// <summary>
/// The fault knobs, as read from <c>--faults</c> or <c>POST /debug/faults</c> (camelCase JSON). Every knob is off by default.
/// </summary>
public sealed record FaultSettings
{
    /// <summary>Seed of the random draws for <see cref="Errors"/>, so a run is repeatable.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Stop listening (connection refused) for this many seconds, then listen again on the same port; 0 is off.</summary>
    public double UnavailableSeconds { get; init; }

    /// <summary>How long after the settings are applied the outage starts.</summary>
    public double UnavailableAfterSeconds { get; init; }

    /// <summary>Injected error answers (500 or 429), each at a rate and optionally for one verb/resource.</summary>
    public IReadOnlyList<ErrorFault> Errors { get; init; } = [];

    /// <summary>End each watch stream after this many events (null: never).</summary>
    public int? WatchCutAfterEvents { get; init; }

    /// <summary>End each watch stream after this many milliseconds (null: never).</summary>
    public int? WatchCutAfterMilliseconds { get; init; }

    /// <summary>Cut watch streams by resetting the connection instead of ending the chunked body cleanly.</summary>
    public bool WatchCutAbort { get; init; }

    /// <summary>Latency added before every API answer.</summary>
    public int LatencyMilliseconds { get; init; }

    /// <summary>Faults of a node after it boots a given image (<see cref="BootFault"/>), applied by <see cref="TestApiServer.BootNode"/>.</summary>
    public IReadOnlyList<BootFault> BootFaults { get; init; } = [];
}

/// <summary>One injected error: answer <see cref="Status"/> to a fraction <see cref="Rate"/> of the matching requests.</summary>
public sealed record ErrorFault
{
    /// <summary>500 (InternalError) or 429 (TooManyRequests, with a Retry-After header as API priority and fairness sends).</summary>
    public int Status { get; init; } = 500;

    /// <summary>The fraction of matching requests that fail, 0 to 1.</summary>
    public double Rate { get; init; } = 1;

    /// <summary>Only requests on this resource (e.g. <c>nodes</c>, <c>pods/eviction</c>); null for all.</summary>
    public string? Resource { get; init; }

    /// <summary>Only requests with this verb (e.g. <c>patch</c>, <c>watch</c>); null for all.</summary>
    public string? Verb { get; init; }

    /// <summary>
    /// Only watches that resume from a resourceVersion: a server (or a proxy) that keeps failing those, as a reset right
    /// after the replayed events does when the reset overtakes them.
    /// </summary>
    public bool ResumedWatchesOnly { get; init; }

    /// <summary>The retry hint of an injected 429.</summary>
    public int RetryAfterSeconds { get; init; } = 1;
}
