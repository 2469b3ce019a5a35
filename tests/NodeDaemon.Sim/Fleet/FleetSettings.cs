using NodeDaemon.Agent;
using NodeDaemon.Core.Options;
using NodeDaemon.Kubernetes.Api;
using NodeDaemon.Kubernetes.Fleet;

namespace NodeDaemon.Sim.Fleet;

/// <summary>One fleet run: the pool, the faults, and the nominal durations that <see cref="TimeScale"/> turns into real time.</summary>
/// <remarks>
/// Durations are nominal (what a real cluster would take) and every one of them is multiplied by
/// <see cref="TimeScale"/>, the API server's grace periods included, so the ratios between them (and hence the request
/// counts per node) are those of a real pool; only the wall clock is compressed.
/// </remarks>
public sealed record FleetSettings
{
    /// <summary>Nodes in the pool, one agent each.</summary>
    public int Nodes { get; init; } = 12;

    /// <summary>The pool's <c>fleet.maxUnavailable</c>.</summary>
    public int MaxUnavailable { get; init; } = 3;

    /// <summary>The pool's <c>fleet.maxStaging</c>: pulls at once; 0 is unbounded.</summary>
    public int MaxStaging { get; init; }

    /// <summary>Nodes whose stage is lost at every reboot, so they end Degraded after <c>reboot.maxAttempts</c>.</summary>
    public int FailNodes { get; init; }

    /// <summary>The pool's target is a bad image: every node that boots it has a kubelet that never turns Ready
    /// (<c>kubelet-never-ready</c>), so it must fail the daemon's health gate.</summary>
    public bool BadImage { get; init; }

    /// <summary>Nominal <c>health.timeoutSeconds</c> of every agent (the daemon's default, 10 min); zero turns the gate off,
    /// which is the daemon before the gate: Done as soon as the target is booted.</summary>
    public TimeSpan HealthTimeout { get; init; } = NodeDaemonOptionsDefaults.HealthTimeout;

    /// <summary>The pool's <c>fleet.haltAfterFailures</c>.</summary>
    public int HaltAfter { get; init; } = 1;

    /// <summary>The daemon's <c>reboot.maxAttempts</c>: reboots into one image before a node gives up on it.</summary>
    public int RebootAttempts { get; init; } = NodeDaemonOptionsDefaults.RebootMaxAttempts;

    /// <summary>Seed of every draw: which nodes fail, crashes, API fault draws, replacement pod names.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>The chance that an agent crashes (and is restarted) right after it reports a new phase.</summary>
    public double CrashRate { get; init; }

    /// <summary>Fraction of API requests answered 500 InternalError (0: none).</summary>
    public double ApiErrorRate { get; init; }

    /// <summary>Real seconds per nominal second, for the API server, the hosts and the agents.</summary>
    public double TimeScale { get; init; } = 0.01;

    /// <summary>Nominal time of one pull and stage.</summary>
    public TimeSpan Stage { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Nominal time from the reboot request to the daemon running again on the new boot.</summary>
    public TimeSpan Reboot { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Nominal <c>AgentLoop.SlotRecheck</c>: the fallback wait of a node refused a slot (the daemon's default, 30 min).</summary>
    public TimeSpan SlotRecheck { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Nominal <c>AgentLoop.StagingRecheck</c>: the fallback wait of a node refused a staging slot (the daemon's default, 30 s).</summary>
    public TimeSpan StagingRecheck { get; init; } = AgentLoop.DefaultStagingRecheck;

    /// <summary>Nominal grace period of the pods.</summary>
    public TimeSpan PodGrace { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Nominal time a replacement pod takes to become Ready.</summary>
    public TimeSpan ReplacementReady { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The API server enforces docs/rbac.yaml and the agents authenticate as the daemon's service account.</summary>
    public bool Rbac { get; init; } = true;

    /// <summary>Real time after which the run stops, converged or not.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>A nominal duration in real time.</summary>
    public TimeSpan Scaled(TimeSpan nominal) => nominal * TimeScale;

    /// <summary>The watch timeout of a real cluster's agents (the transport option's default), nominal.</summary>
    public static TimeSpan NominalWatchTimeout { get; } = new ApiTransportOptions().WatchTimeout;

    /// <summary>The watch timeout the agents run with: <see cref="NominalWatchTimeout"/> scaled, in whole seconds, at least one.</summary>
    /// <remarks>
    /// <c>timeoutSeconds</c> is whole seconds (the client would truncate anything else), so it is rounded here, where the
    /// report can tell what it really was. Below one second (a time scale under 1/1800 for the 30-minute default) it stays at one:
    /// fewer watch reconnects than a real pool would see, and the report's <c>watchTimeoutSeconds</c> says so.
    /// </remarks>
    public TimeSpan WatchTimeout => TimeSpan.FromSeconds(Math.Max(1, Math.Round(Scaled(NominalWatchTimeout).TotalSeconds, MidpointRounding.AwayFromZero)));

    /// <summary>The watch timeout of a refused node's slot watch (<c>LeasePoolClientOptions.WaitWatchTimeout</c>'s default), scaled and rounded like <see cref="WatchTimeout"/>.</summary>
    public TimeSpan WaitWatchTimeout =>
        TimeSpan.FromSeconds(Math.Max(1, Math.Round(Scaled(LeasePoolClientOptions.DefaultWaitWatchTimeout).TotalSeconds, MidpointRounding.AwayFromZero)));

    /// <summary>The settings' problems, every one at once; empty when the run can start.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (Nodes < 2)
        {
            problems.Add("--nodes must be at least 2 (evicted pods need another node)");
        }

        if (MaxUnavailable < 1)
        {
            problems.Add("--max-unavailable must be at least 1");
        }

        if (MaxStaging < 0)
        {
            problems.Add("--max-staging must be 0 (unbounded) or more");
        }

        if (FailNodes < 0 || FailNodes > Nodes)
        {
            problems.Add("--fail-nodes must be between 0 and --nodes");
        }

        if (HealthTimeout < TimeSpan.Zero)
        {
            problems.Add("--health-timeout-seconds must be 0 (gate off) or more");
        }

        if (HaltAfter < 1)
        {
            problems.Add("--halt-after must be at least 1");
        }

        if (CrashRate is < 0 or > 1 || ApiErrorRate is < 0 or > 1)
        {
            problems.Add("--crash-rate and --api-error-rate are fractions between 0 and 1");
        }

        if (TimeScale is <= 0 or > 1)
        {
            problems.Add("--time-scale must be above 0 and at most 1");
        }

        return problems;
    }
}
