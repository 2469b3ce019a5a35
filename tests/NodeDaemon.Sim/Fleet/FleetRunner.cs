using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using NodeDaemon.Agent;
using NodeDaemon.Core.Health;
using NodeDaemon.Core.Options;
using NodeDaemon.Kubernetes;
using NodeDaemon.Kubernetes.Api;
using NodeDaemon.Sim.KubeApi;
using NodeDaemon.Sim.KubeApi.Auth;
using NodeDaemon.Sim.KubeApi.Faults;
using NodeDaemon.Sim.KubeApi.Store;
using NodeDaemon.Sim.Scenarios;

namespace NodeDaemon.Sim.Fleet;

/// <summary>Runs a pool of real agent loops (real Kubernetes clients over HTTP, simulated hosts) against one test API server.</summary>
/// <remarks>
/// First one node alone (the same delays, one slot) to measure T, a node's cordon-to-Done time; then the pool, with every
/// node annotated at once, until every node is Done or Degraded, or the pool is halted, or the timeout.
/// </remarks>
public sealed class FleetRunner(FleetSettings settings)
{
    private const string Prefix = NodeDaemonOptionsDefaults.AnnotationPrefix;
    private static readonly string s_old = "sha256:" + new string('1', 64);
    private static readonly string s_new = "sha256:" + new string('2', 64);

    /// <summary>The digest the pool is pointed at (with <see cref="FleetSettings.BadImage"/>, the bad image).</summary>
    public static string TargetDigest => s_new;
    private const string Repository = "quay.io/example/fcos-layered";

    /// <summary>The calibration, then the pool; the result compares the two.</summary>
    public async Task<FleetResult> RunAsync(CancellationToken cancellationToken)
    {
        var wall = Stopwatch.StartNew();
        var lone = await RunPoolAsync(settings with { Nodes = 2, MaxUnavailable = 1, FailNodes = 0, CrashRate = 0, ApiErrorRate = 0, BadImage = false }, cancellationToken)
            .ConfigureAwait(false);
        var pool = await RunPoolAsync(settings, cancellationToken).ConfigureAwait(false);
        return FleetReport.Build(pool, lone.MeanCordonToDoneMs, wall.Elapsed);
    }

    /// <summary>One pool run.</summary>
    public static Task<FleetRun> RunPoolAsync(FleetSettings run, CancellationToken cancellationToken) => RunPoolAsync(run, null, cancellationToken);

    /// <summary>One pool run; with <paramref name="external"/>, the caller points the pool at its target, not the runner.</summary>
    public static async Task<FleetRun> RunPoolAsync(FleetSettings run, FleetExternalTarget? external, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        // The record files are fsynced on every save: on tmpfs that costs nothing, which is what 500 nodes need.
        var stateRoot = Path.Combine(Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath(), $"nodedaemon-fleet-{Guid.NewGuid():N}");
        Directory.CreateDirectory(stateRoot);
        var server = await TestApiServer.StartAsync(FleetSeed.Build(run.Nodes, run.PodGrace), new TestApiServerOptions
        {
            TimeScale = run.TimeScale,
            ReplacementReadyDelay = run.ReplacementReady,
            RandomSeed = run.Seed,
            // Hundreds of watches on a busy store: enough history that a reconnecting watch resumes instead of re-listing.
            HistoryLimit = 50_000,
            // The shipped RBAC manifest and admission policy, the policy's pool label set to the fleet's (as an admin
            // edits it to match fleet.poolLabel).
            Authorization = run.Rbac ? ApiAuthorization.Shipped(FleetSeed.PoolLabel) : null,
        }, cancellationToken).ConfigureAwait(false);
        var agents = new List<FleetAgent>();
        Task? driving = null;
        HarnessProbe? probe = null;
        try
        {
            var clock = new RunClock();
            var observer = new FleetObserver(server.Store, run.MaxUnavailable, run.HaltAfter, Prefix, clock);
            server.Store.AddReactor(observer);
            var failing = new Random(run.Seed).GetItems(Enumerable.Range(0, run.Nodes).ToArray(), run.Nodes).Distinct().Take(run.FailNodes).ToHashSet();
            // Each node its own identity: a token bound to its Node. Every boot after the first starts the node's kubelet
            // again in the API server, broken as the booted image says.
            var setup = Setup(run, server.KubeconfigPath, stateRoot) with
            {
                NodeKubeconfig = node => server.DaemonKubeconfig(node),
                Booted = (node, digest) => server.BootNode(node, digest),
            };
            for (var i = 0; i < run.Nodes; i++)
            {
                agents.Add(new FleetAgent(FleetSeed.NodeName(i), setup, failing.Contains(i), run.CrashRate, run.Seed * 7919 + i));
            }

            var byName = agents.ToDictionary(a => a.Name, StringComparer.Ordinal);
            observer.PhaseReported += (node, _) =>
            {
                if (byName.TryGetValue(node, out var agent))
                {
                    agent.OnPhaseReported();
                }
            };
            foreach (var agent in agents)
            {
                agent.Start();
            }

            // Every agent reports Idle (nothing desired yet) before the pool is pointed at the image, so the run measures
            // the update, not the start-up.
            await WaitAsync(() => observer.Nodes().Values.All(n => n.Phase == "Idle"), run.Timeout, cancellationToken).ConfigureAwait(false);
            var startup = server.Requests.Snapshot();
            var idleConnections = server.Requests.Connections.Open;
            var startupEnds = server.Requests.Connections.Ends();
            var startupAccepted = server.Requests.Connections.Accepted;
            server.Requests.Reset();
            // Every agent idle, each with its watches open: the connections a pool at rest holds.
            var (_, idleSockets) = HarnessProbe.CountDescriptors();
            probe = HarnessProbe.Start();
            if (run.ApiErrorRate > 0 || run.BadImage)
            {
                server.Faults.Set(new FaultSettings
                {
                    Seed = run.Seed,
                    Errors = run.ApiErrorRate > 0 ? [new ErrorFault { Status = 500, Rate = run.ApiErrorRate }] : [],
                    BootFaults = run.BadImage ? [new BootFault { Kind = BootFault.KubeletNeverReady, Image = s_new }] : [],
                });
            }

            var start = clock.ElapsedMilliseconds;
            observer.Expect(s_new);
            var (converged, halted) = (false, false);
            if (external is null)
            {
                Annotate(server.Store, $"{Repository}@{s_new}");
            }
            else
            {
                driving = external.DriveAsync(new FleetTarget(server.KubeconfigPath, $"{Repository}@{s_new}", FleetSeed.PoolLabel, FleetSeed.Pool,
                    FleetSeed.LeaseNamespace), cancellationToken);
                await WaitAsync(() => driving.IsCompleted || Annotated(server.Store), run.Timeout, cancellationToken).ConfigureAwait(false);
            }

            // An outside caller that is done (it watched the pool to its end, or gave up before pointing it anywhere): end now.
            await WaitAsync(() =>
            {
                (converged, halted) = Outcome(observer.Nodes(), agents, run.BadImage, run.MaxUnavailable);
                return converged || halted || driving is { IsCompleted: true };
            }, run.Timeout, cancellationToken).ConfigureAwait(false);
            var settled = clock.ElapsedMilliseconds;
            if (halted)
            {
                // Halted is a resting state: watch it a while longer for a slot that should not be granted, long enough
                // for every waiting node to have asked again at least once (a recheck waits 1-2 times SlotRecheck).
                await Task.Delay(run.Scaled(run.SlotRecheck) * 2, cancellationToken).ConfigureAwait(false);
                (converged, halted) = Outcome(observer.Nodes(), agents, run.BadImage, run.MaxUnavailable);
            }

            await probe.DisposeAsync().ConfigureAwait(false);
            var nodes = observer.Nodes();
            var ended = nodes.Values.Select(n => n.DoneAtMs ?? n.DegradedAtMs ?? 0).DefaultIfEmpty(0).Max();
            return new FleetRun(run, observer, Shifted(nodes, start), agents, server.Requests.Snapshot(), startup, server.Requests.Errors(),
                (halted || !converged ? settled : ended) - start, converged, halted)
            {
                NotReadyNodes = [.. server.Store.List(ResourceTypes.Nodes).Where(n => !IsReady(n)).Select(n => ObjectMeta.Name(n)!)],
                Listed = ListedBy(server.Requests),
                Connections = new ConnectionFigures(idleConnections, server.Requests.Connections.PeakOpen, server.Requests.Connections.Accepted,
                    server.Requests.Connections.ByProtocol())
                {
                    StartupAccepted = startupAccepted,
                    StartupEnds = startupEnds,
                    Ends = server.Requests.Connections.Ends(),
                },
                Harness = new HarnessFigures(probe.MeanLagMs, probe.P99LagMs, probe.PeakOpenFiles, probe.PeakSockets, idleSockets),
                PeakConcurrentPulls = setup.Pulls.Peak,
            };
        }
        finally
        {
            try
            {
                // The outside caller may still be reading the pool (rollout status --watch): serve it until it is done.
                if (driving is not null)
                {
                    await driving.ConfigureAwait(false);
                }
            }
            finally
            {
                if (probe is not null)
                {
                    await probe.DisposeAsync().ConfigureAwait(false);
                }

                await Task.WhenAll(agents.Select(a => a.DisposeAsync().AsTask())).ConfigureAwait(false);
                await server.DisposeAsync().ConfigureAwait(false);
                Directory.Delete(stateRoot, recursive: true);
            }
        }
    }

    /// <summary>What every node of <paramref name="run"/> shares, every nominal duration scaled to real time.</summary>
    internal static FleetAgentSetup Setup(FleetSettings run, string kubeconfig, string stateRoot)
    {
        // Guard rails that must not fire just because a 2-core machine is busy: at least 30 real seconds.
        static TimeSpan Floor(TimeSpan t) => t < TimeSpan.FromSeconds(30) ? TimeSpan.FromSeconds(30) : t;
        var options = new NodeDaemonOptions
        {
            Kubeconfig = kubeconfig,
            Fleet = new FleetOptions
            {
                Enabled = true,
                PoolLabel = FleetSeed.PoolLabel,
                MaxUnavailable = run.MaxUnavailable.ToString(CultureInfo.InvariantCulture),
                LeaseNamespace = FleetSeed.LeaseNamespace,
                HaltAfterFailures = run.HaltAfter,
                MaxStaging = run.MaxStaging.ToString(CultureInfo.InvariantCulture),
            },
            Staging = new StagingOptions { RetryDelay = run.Scaled(NodeDaemonOptionsDefaults.StageRetryDelay) },
            Reboot = new RebootOptions { RequestTimeout = Floor(run.Scaled(NodeDaemonOptionsDefaults.RebootRequestTimeout)), MaxAttempts = run.RebootAttempts },
            Drain = new DrainOptions { Timeout = Floor(run.Scaled(NodeDaemonOptionsDefaults.DrainTimeout)) },
            // The gate on the fleet's clock, its timeout floored like the guard rails above: scaled to 6 s it is shorter than
            // a busy machine's pauses. The decider asks the gate when the node's Ready changes, else 10 real seconds after
            // its last ask (GateRules.Recheck, not scaled). Zero stays zero: off.
            Health = new HealthOptions
            {
                Timeout = run.HealthTimeout > TimeSpan.Zero ? GateTimeout(run, Floor(run.Scaled(run.HealthTimeout))) : TimeSpan.Zero,
                CriticalPodGrace = run.Scaled(NodeDaemonOptionsDefaults.HealthCriticalPodGrace),
            },
        };
        var transport = KubeNodeClientOptions.From(options with { NodeName = "any" }) with
        {
            // The server ends each watch after it and the agent opens another: requests a real pool makes every few minutes per node.
            Transport = new ApiTransportOptions
            {
                WatchTimeout = run.WatchTimeout,
                BackoffInitial = run.Scaled(TimeSpan.FromMilliseconds(200)),
                BackoffMax = run.Scaled(TimeSpan.FromSeconds(30)),
            },
            EvictionRetryMinimum = run.Scaled(TimeSpan.FromSeconds(5)),
            PodPollInterval = run.Scaled(TimeSpan.FromSeconds(1)),
        };
        return new FleetAgentSetup(kubeconfig, options, transport, stateRoot, $"{Repository}@{s_old}")
        {
            StageDelay = run.Scaled(run.Stage),
            PoolRecheck = run.Scaled(TimeSpan.FromMinutes(1)),
            RebootDelay = run.Scaled(run.Reboot),
            RestartDelay = run.Scaled(TimeSpan.FromSeconds(10)),
            SlotRecheck = run.Scaled(run.SlotRecheck),
            WaitWatchTimeout = run.WaitWatchTimeout,
            StagingRecheck = run.Scaled(run.StagingRecheck),
            // Floored like the guard rails: a renewal late on a busy machine must not hand a slot to a second puller.
            StagingLeaseDuration = Floor(run.Scaled(TimeSpan.FromMinutes(2))),
            IdleTick = run.Scaled(TimeSpan.FromSeconds(30)),
            ProgressReportInterval = run.Scaled(NodeDaemonOptionsDefaults.ProgressInterval),
        };
    }

    /// <summary>
    /// The gate's real timeout for <paramref name="run"/>: <paramref name="floored"/>, but for a good image at least
    /// <see cref="GoodImageGateTimeout"/>.
    /// </summary>
    /// <remarks>
    /// The gate GETs the node only in the last two <see cref="HealthRules.ApiReturnGrace"/>s before its timeout
    /// (<see cref="HealthRules.ReadsWatchedWaitFrom"/>); that grace is real time and not scaled, so a timeout floored to
    /// 30 real seconds made every gate GET at its first ask, a request a node with the shipped 600 s never makes. A good
    /// image's gate passes long before either timeout, so the longer one only makes it behave as shipped. A bad image's
    /// gate must time out, and keeps the floor: the run would otherwise wait minutes per failing node.
    /// </remarks>
    internal static TimeSpan GateTimeout(FleetSettings run, TimeSpan floored) =>
        run.BadImage || floored >= GoodImageGateTimeout ? floored : GoodImageGateTimeout;

    /// <summary>The shortest real gate timeout of a good-image run: two API graces and a margin for the asks' 10 s rhythm.</summary>
    internal static readonly TimeSpan GoodImageGateTimeout = HealthRules.ApiReturnGrace + HealthRules.ApiReturnGrace + TimeSpan.FromSeconds(30);

    // What `kubectl annotate nodes -l pool=workers nodedaemon.io/desired-image=...` does: one write per node, in a row.
    private static void Annotate(ObjectStore store, string image)
    {
        foreach (var node in store.List(ResourceTypes.Nodes))
        {
            store.Update(ResourceTypes.Nodes, null, ObjectMeta.Name(node)!, n =>
            {
                var annotations = ObjectMeta.Metadata(n)["annotations"] as JsonObject ?? [];
                annotations[Prefix + "desired-image"] = image;
                ObjectMeta.Metadata(n)["annotations"] = annotations;
                return n;
            });
        }
    }

    // Every node of the pool carries a desired image: the outside caller's start wrote them all.
    private static bool Annotated(ObjectStore store) =>
        store.List(ResourceTypes.Nodes).All(n => ObjectMeta.Metadata(n)["annotations"]?[Prefix + "desired-image"] is not null);

    private static (bool Converged, bool Halted) Outcome(IReadOnlyDictionary<string, NodeTrack> nodes, IReadOnlyList<FleetAgent> agents, bool badImage, int maxUnavailable)
    {
        var converged = agents.All(a => a.LosesStage ? nodes[a.Name].State == "Degraded" : nodes[a.Name].DoneAtMs is not null && !nodes[a.Name].Cordoned);
        // A node rolled back from a bad image may keep its cordon (the daemon's policy after a rollback); nobody else may.
        // Stopped as well when every slot is held by a node rolled back and kept cordoned (health.keepCordonAfterRollback):
        // the slot goes with the cordon, so the waiting nodes hear "all slots are held", not "pool halted", and wait
        // just the same, on the old image.
        var slotsHeldByRolledBack = badImage && nodes.Values.Count(n => n.Cordoned && n.State == "Degraded") >= maxUnavailable;
        var halted = !converged && nodes.Values.All(n => !n.Cordoned || (badImage && n.State == "Degraded"))
            && nodes.Values.All(n => n.DoneAtMs is not null || n.State == "Degraded" || Waiting(n, slotsHeldByRolledBack))
            && (slotsHeldByRolledBack || nodes.Values.Any(n => (n.Message ?? "").StartsWith("pool halted", StringComparison.Ordinal)));
        return (converged, halted);
    }

    private static bool Waiting(NodeTrack node, bool slotsHeldByRolledBack) =>
        (node.Message ?? "").StartsWith("pool halted", StringComparison.Ordinal)
        || (slotsHeldByRolledBack && node.Phase == "WaitingForSlot");

    // Objects answered by the lists of each resource: a read of the whole pool per request shows here as N per list.
    private static Dictionary<string, long> ListedBy(RequestCounter requests) =>
        new[] { "list nodes", "list leases", "list pods" }.ToDictionary(k => k, requests.Listed, StringComparer.Ordinal);

    private static bool IsReady(JsonObject node) =>
        (node["status"]?["conditions"] as JsonArray ?? []).Any(c => (string?)c?["type"] == "Ready" && (string?)c?["status"] == "True");

    private static Dictionary<string, NodeTrack> Shifted(IReadOnlyDictionary<string, NodeTrack> nodes, long start)
    {
        foreach (var track in nodes.Values)
        {
            track.CordonedAtMs -= start;
            track.DoneAtMs -= start;
            track.DegradedAtMs -= start;
        }

        return nodes.ToDictionary(n => n.Key, n => n.Value, StringComparer.Ordinal);
    }

    private static async Task WaitAsync(Func<bool> condition, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (!condition() && Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }
    }
}
