using System.Globalization;
using System.Text.Json.Nodes;
using NodeDaemon.Sim.Harness;
using NodeDaemon.Sim.KubeApi.Store;

namespace NodeDaemon.Sim.Scenarios;

/// <summary>Runs one scenario end to end against the daemon binary and returns what happened.</summary>
/// <remarks>One loop, ticking every 20 ms: tend the processes (reboots, crashes of their own), fire the triggers that
/// hold (kill -9s, admin actions, faults), and stop once the expected end state has held for the settle time or the
/// time is up. Everything it reports was observed: the node through a store reactor, the host through its lifecycle
/// lines, budgets by sampling the pods.</remarks>
public sealed class ScenarioRunner
{
    private static readonly TimeSpan s_tick = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan s_firstReportTimeout = TimeSpan.FromSeconds(30);
    private readonly Scenario _file;
    private Scenario _scenario;
    private readonly string _directory;
    private readonly DaemonCommandLine _daemon;
    private readonly IScenarioNarrator _narrator;
    private readonly RunClock _clock = new();
    private readonly ScenarioKeys _keys;

    /// <summary>Extra environment for the daemon (runtime settings to compare); none by default.</summary>
    public IReadOnlyDictionary<string, string>? DaemonEnvironment { get; init; }

    /// <summary>Whether the end waits for the idle sample (<see cref="IdleSample"/>) so that the RSS read is the idle
    /// figure: the demo and the bench ask for it; the scenario library, which asserts nothing about memory, does not
    /// spend up to 5 s per scenario on it.</summary>
    public bool SampleIdleRss { get; init; }

    /// <summary>A runner for <paramref name="scenario"/>, read from a file in <paramref name="directory"/>.</summary>
    public ScenarioRunner(Scenario scenario, string directory, DaemonCommandLine daemon, IScenarioNarrator? narrator = null)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        _file = scenario;
        _scenario = scenario;
        _directory = directory;
        _daemon = daemon;
        _narrator = narrator ?? IScenarioNarrator.Silent;
        _keys = ScenarioKeys.For(scenario.Options);
    }

    /// <summary>Runs it; the processes are gone when this returns.</summary>
    public async Task<ScenarioResult> RunAsync(CancellationToken cancellationToken = default)
    {
        _scenario = _file;
        var host = ScenarioFiles.HostState(_scenario.Host, _directory);
        var unit = ScenarioWorld.ShippedUnit(_scenario, _directory, AppContext.BaseDirectory, Directory.GetCurrentDirectory());
        OciRegistry? registry;
        // As this run sees it: a real registry's placeholders expanded (each run starts its own registry; the world owns it
        // from here, so nothing that can throw comes between the two).
        (registry, _scenario) = await ScenarioRealRegistry.StartAsync(_file).ConfigureAwait(false);
        var pending = new List<Pending>();
        pending.AddRange(_scenario.Crashes.Select(c => new Pending(c.When, crash: c)));
        pending.AddRange(_scenario.Actions.Select(a => new Pending(a.When, action: a)));
        pending.AddRange(_scenario.Faults.Where(f => f.When is not null).Select(f => new Pending(f.When!, fault: f)));
        var active = _scenario.Faults.Where(f => f.When is null).ToList();
        await using var world = await ScenarioWorld.StartAsync(_scenario, host, _daemon, active, DaemonEnvironment, unit, registry).ConfigureAwait(false);
        world.Said = _narrator.Said;
        var observer = new ScenarioObserver(_scenario.Node.Name, _keys, _clock);
        world.Api.Store.AddReactor(observer);
        observer.OnChange(world.Api.Store, new StoreEvent("ADDED", ResourceTypes.Nodes, Node(world), null, 0));
        await using var sampler = new BudgetSampler(world.Api.Store);
        var deadline = _clock.ElapsedMilliseconds + (_scenario.TimeoutSeconds * 1000L);
        var run = new RunState();

        world.StartDaemon();
        _narrator.Started(_scenario);
        if (_scenario.DesiredImage is { } desired)
        {
            await WaitForFirstReportAsync(world, observer, cancellationToken).ConfigureAwait(false);
            Annotate(world, new Dictionary<string, string?> { [_keys.DesiredImage] = desired });
            run.DesiredSetAtMs = _clock.ElapsedMilliseconds;
            _narrator.Said($"admin: annotate {_scenario.Node.Name} {_keys.DesiredImage}={desired}");
        }

        long? settledSince = null;
        while (_clock.ElapsedMilliseconds < deadline)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var bootBefore = world.Boot;
            if (await world.TendAsync(active).ConfigureAwait(false) && world.Boot != bootBefore)
            {
                _narrator.Said($"host: rebooted (boot {world.Boot})");
            }

            if (run.RestartAtMs is { } restartAt && _clock.ElapsedMilliseconds >= restartAt)
            {
                run.RestartAtMs = null;
                world.StartDaemon();
                _narrator.Said("systemd: nodedaemon started again");
            }

            var snapshot = Snapshot(world, observer);
            await FireAsync(pending, snapshot, world, active, run).ConfigureAwait(false);
            await LiftAsync(snapshot, world, active).ConfigureAwait(false);
            _narrator.Observed(Node(world), _keys);

            if (EndReached(world) && run.RestartAtMs is null && !world.Service.RestartPending)
            {
                settledSince ??= _clock.ElapsedMilliseconds;
                if (_clock.ElapsedMilliseconds - settledSince >= _scenario.SettleMilliseconds && !IdleSampleWaits(world, deadline))
                {
                    run.DaemonRssMb = ReadRssMb(world.Daemon);
                    break;
                }
            }
            else
            {
                settledSince = null;
            }

            await Task.Delay(s_tick, cancellationToken).ConfigureAwait(false);
        }

        var result = ScenarioResult.Build(_scenario, world, observer, sampler, run, _clock, pending.Count(p => !p.Fired), _keys, DesiredDigest(world), EndReached(world));
        await _narrator.EndingAsync(world, result).ConfigureAwait(false);
        return result;
    }

    private async Task WaitForFirstReportAsync(ScenarioWorld world, ScenarioObserver observer, CancellationToken cancellationToken)
    {
        // The daemon is up once it has written its phase; annotating before would measure its start-up, not its reaction.
        var until = _clock.ElapsedMilliseconds + (long)s_firstReportTimeout.TotalMilliseconds;
        while (!observer.Timeline.Any(e => e.Phase is not null) && _clock.ElapsedMilliseconds < until)
        {
            await world.TendAsync([]).ConfigureAwait(false);
            await Task.Delay(s_tick, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task FireAsync(List<Pending> pending, RunSnapshot snapshot, ScenarioWorld world, List<ScenarioFault> active, RunState run)
    {
        foreach (var item in pending.Where(p => !p.Fired))
        {
            if (!item.Trigger.Holds(snapshot))
            {
                continue;
            }

            item.HeldSinceMs ??= _clock.ElapsedMilliseconds;
            if (_clock.ElapsedMilliseconds - item.HeldSinceMs < item.Trigger.AfterMilliseconds)
            {
                continue;
            }

            item.Fired = true;
            if (item.Crash is { } crash)
            {
                world.CrashDaemon();
                run.RestartAtMs = _clock.ElapsedMilliseconds + crash.RestartAfterMilliseconds;
                _narrator.Said($"chaos: kill -9 nodedaemon (phase {snapshot.Phase})");
            }
            else if (item.Action is { } action)
            {
                Annotate(world, action.Annotate);
                if (action.CreateNamespace is { } ns)
                {
                    world.Api.Store.Create(ResourceTypes.Namespaces, new JsonObject
                    {
                        ["apiVersion"] = "v1",
                        ["kind"] = "Namespace",
                        ["metadata"] = new JsonObject { ["name"] = ns },
                    });
                }

                if (action.Unschedulable is { } unschedulable)
                {
                    world.Api.Store.Update(ResourceTypes.Nodes, null, _scenario.Node.Name, node =>
                    {
                        var spec = node["spec"] as JsonObject ?? [];
                        spec["unschedulable"] = unschedulable;
                        node["spec"] = spec;
                        return node;
                    });
                }

                if (action.Reboot)
                {
                    await world.UnplannedRebootAsync().ConfigureAwait(false);
                }

                _narrator.Said($"admin: {Describe(action)}");
            }
            else if (item.Fault is { } fault)
            {
                active.Add(fault);
                await world.SetFaultsAsync(active).ConfigureAwait(false);
                _narrator.Said($"chaos: fault {fault.Kind} on");
            }
        }
    }

    private async Task LiftAsync(RunSnapshot snapshot, ScenarioWorld world, List<ScenarioFault> active)
    {
        var ended = active.Where(f => f.Until?.Holds(snapshot) == true).ToList();
        if (ended.Count == 0)
        {
            return;
        }

        active.RemoveAll(ended.Contains);
        await world.SetFaultsAsync(active).ConfigureAwait(false);
        foreach (var fault in ended)
        {
            _narrator.Said($"chaos: fault {fault.Kind} off");
        }
    }

    private static string Describe(ScenarioAction action)
    {
        var parts = action.Annotate.Select(a => a.Value is null ? $"{a.Key}-" : $"{a.Key}={a.Value}").ToList();
        if (action.Unschedulable is { } unschedulable)
        {
            parts.Add(unschedulable ? "cordon" : "uncordon");
        }

        if (action.CreateNamespace is { } ns)
        {
            parts.Add($"kubectl create namespace {ns}");
        }

        if (action.Reboot)
        {
            parts.Add("an unplanned reboot");
        }

        return string.Join(", ", parts);
    }

    private RunSnapshot Snapshot(ScenarioWorld world, ScenarioObserver observer)
    {
        var node = Node(world);
        var annotations = node["metadata"]?["annotations"];
        var events = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in world.Host.Events.Skip(world.BootEventsStart))
        {
            events.Add(e.Event);
            if (e.Method is { } method)
            {
                events.Add($"{e.Event}:{method}");
            }
        }

        return new RunSnapshot((string?)annotations?[_keys.Phase], (string?)annotations?[_keys.State], world.Boot, observer.Evictions.Count, events, world.DaemonRestarts, world.Service.Exits.Count,
            (string?)annotations?[_keys.Reason], (bool?)node["spec"]?["unschedulable"] ?? false);
    }

    private bool EndReached(ScenarioWorld world)
    {
        var annotations = Node(world)["metadata"]?["annotations"];
        var state = (string?)annotations?[_keys.State];
        if (_scenario.Expect.State == "Degraded")
        {
            return state == "Degraded";
        }

        var digest = DesiredDigest(world);
        var desired = (string?)annotations?[_keys.DesiredImage];
        var current = (string?)annotations?[_keys.CurrentImage];
        // A pinned desired image is reported back as itself: machine-config-operator's isNodeImageDone compares the two
        // strings. A tag (allowTags) is reported with the digest the registry gave it.
        var reported = desired is not null && desired.Contains("@sha256:", StringComparison.Ordinal)
            ? current == desired
            : current is not null && current.EndsWith("@" + digest, StringComparison.Ordinal);
        return state == "Done" && (string?)annotations?[_keys.Phase] == "Idle" && digest is not null && reported
            && ScenarioFiles.Booted(world.HostState())?.Digest == digest;
    }

    /// <summary>The digest the node's desired image names, or that the registry gives its tag.</summary>
    private string? DesiredDigest(ScenarioWorld world)
    {
        var desired = (string?)Node(world)["metadata"]?["annotations"]?[_keys.DesiredImage];
        if (desired is null)
        {
            return null;
        }

        var at = desired.IndexOf("@sha256:", StringComparison.Ordinal);
        var digest = at >= 0 ? desired[(at + 1)..] : (string?)_scenario.Registry.GetValueOrDefault(desired)?["digest"];
        return ScenarioFiles.PlatformDigest(_scenario.Registry, desired, digest);
    }

    private JsonObject Node(ScenarioWorld world) =>
        world.Api.Store.Get(ResourceTypes.Nodes, null, _scenario.Node.Name) ?? throw new InvalidOperationException("the node is gone");

    private void Annotate(ScenarioWorld world, IReadOnlyDictionary<string, string?> changes)
    {
        if (changes.Count == 0)
        {
            return;
        }

        world.Api.Store.Update(ResourceTypes.Nodes, null, _scenario.Node.Name, node =>
        {
            var metadata = (JsonObject)node["metadata"]!;
            var annotations = metadata["annotations"] as JsonObject ?? [];
            foreach (var (key, value) in changes)
            {
                if (value is null)
                {
                    annotations.Remove(key);
                }
                else
                {
                    annotations[key] = value;
                }
            }

            metadata["annotations"] = annotations;
            return node;
        });
    }

    /// <summary>Whether the end waits for the idle sample (<see cref="IdleSample"/>): the daemon runs, its last start said
    /// READY=1 less than <see cref="IdleSample.AfterReady"/> ago, and the run's bound leaves room for it.</summary>
    private bool IdleSampleWaits(ScenarioWorld world, long deadline) =>
        SampleIdleRss && world.Daemon is { HasExited: false } && world.Service.ReadyAt is { } ready && IdleSample.DueIn(ready) is var due
        && due > TimeSpan.Zero && _clock.ElapsedMilliseconds + (long)due.TotalMilliseconds < deadline;

    private static double? ReadRssMb(DaemonProcess? daemon)
    {
        try
        {
            var line = daemon is { HasExited: false }
                ? File.ReadLines($"/proc/{daemon.Id}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
                : null;
            var kb = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
            return kb is null ? null : Math.Round(long.Parse(kb, CultureInfo.InvariantCulture) / 1024.0, 1);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>A trigger and what it fires.</summary>
    private sealed class Pending(ScenarioTrigger trigger, ScenarioCrash? crash = null, ScenarioAction? action = null, ScenarioFault? fault = null)
    {
        public ScenarioTrigger Trigger { get; } = trigger;

        public ScenarioCrash? Crash { get; } = crash;

        public ScenarioAction? Action { get; } = action;

        public ScenarioFault? Fault { get; } = fault;

        public long? HeldSinceMs { get; set; }

        public bool Fired { get; set; }
    }
}

/// <summary>What the run loop keeps between ticks and hands to the result.</summary>
public sealed class RunState
{
    /// <summary>When the runner annotated the desired image.</summary>
    public long? DesiredSetAtMs { get; set; }

    /// <summary>When a crashed daemon is to be started again.</summary>
    public long? RestartAtMs { get; set; }

    /// <summary>The daemon's resident memory at the end, idle.</summary>
    public double? DaemonRssMb { get; set; }
}
