using System.Text.Json.Nodes;
using NodeDaemon.Sim.Harness;
using NodeDaemon.Sim.KubeApi;
using NodeDaemon.Sim.KubeApi.Auth;
using NodeDaemon.Sim.RpmOstree;

namespace NodeDaemon.Sim.Scenarios;

/// <summary>The processes of one scenario: a private dbus-daemon, the rpm-ostreed simulator, the test API server
/// (in this process) and the daemon binary; reboots, crashes and restarts are carried out here.</summary>
public sealed class ScenarioWorld : IAsyncDisposable
{
    // systemd's Restart=on-failure with RestartSec, shortened: the daemon comes back after a crash of its own.
    private static readonly TimeSpan s_restartDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan s_stopTimeout = TimeSpan.FromSeconds(10);
    private readonly TempDirectory _dir;
    private readonly DaemonCommandLine _daemonCommand;
    private readonly PrivateBus _bus;
    private DaemonProcess? _daemon;

    private ScenarioWorld(TempDirectory dir, DaemonCommandLine daemonCommand, PrivateBus bus, RpmOstreedProcess host, TestApiServer api)
    {
        _dir = dir;
        _daemonCommand = daemonCommand;
        _bus = bus;
        Host = host;
        Api = api;
    }

    /// <summary>The simulated host.</summary>
    public RpmOstreedProcess Host { get; }

    /// <summary>The test API server.</summary>
    public TestApiServer Api { get; }

    /// <summary>The host's boot index (0 before the first reboot).</summary>
    public int Boot { get; private set; }

    /// <summary>Index into <see cref="RpmOstreedProcess.Events"/> where the current boot's events start.</summary>
    public int BootEventsStart { get; private set; }

    /// <summary>Kill -9s done by the scenario.</summary>
    public int Crashes { get; private set; }

    /// <summary>Times the daemon exited by itself with a failure and was started again, as systemd would.</summary>
    public int DaemonRestarts { get; private set; }

    /// <summary>Times the simulated rpm-ostreed died (the <c>die</c> fault) and was started again.</summary>
    public int HostRestarts { get; private set; }

    /// <summary>The running daemon, if any.</summary>
    public DaemonProcess? Daemon => _daemon;

    /// <summary>Extra environment for every daemon run (e.g. <c>DOTNET_GCgen0size</c> to compare runtime settings).</summary>
    public IReadOnlyDictionary<string, string> DaemonEnvironment { get; init; } = new Dictionary<string, string>();

    /// <summary>What every daemon run wrote to stderr, for the result.</summary>
    public List<string> DaemonLogs { get; } = [];

    /// <summary>Starts the bus, the host and the API server (not the daemon).</summary>
    public static async Task<ScenarioWorld> StartAsync(Scenario scenario, JsonObject hostState, DaemonCommandLine daemon,
        IEnumerable<ScenarioFault> initialFaults, IReadOnlyDictionary<string, string>? daemonEnvironment = null)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(hostState);
        var dir = new TempDirectory("nodedaemon-scenario-");
        PrivateBus? bus = null;
        RpmOstreedProcess? host = null;
        try
        {
            var faults = initialFaults.ToList();
            await File.WriteAllTextAsync(dir.File("host.json"), hostState.ToJsonString()).ConfigureAwait(false);
            bus = await PrivateBus.StartAsync().ConfigureAwait(false);
            host = await RpmOstreedProcess.StartAsync(bus, new RpmOstreedOptions(
                dir.File("host.json"),
                RegistryJson(scenario),
                ScenarioFaults.HostFile(faults),
                scenario.HostSpeed)).ConfigureAwait(false);
            var api = await TestApiServer.StartAsync(ScenarioSeed.Build(scenario), new TestApiServerOptions
            {
                TimeScale = scenario.ApiTimeScale,
                ReplacementReadyDelay = TimeSpan.FromSeconds(scenario.ReplacementReadySeconds),
                KubeconfigPath = dir.File("kubeconfig"),
                Faults = ScenarioFaults.Api(faults),
                Authorization = scenario.Rbac ? ApiAuthorization.Shipped() : null,
                NodeChurn = scenario.NodeChurn,
                NodeStatusReportFrequency = TimeSpan.FromSeconds(scenario.KubeletStatusSeconds),
            }).ConfigureAwait(false);
            var world = new ScenarioWorld(dir, daemon, bus, host, api) { DaemonEnvironment = daemonEnvironment ?? new Dictionary<string, string>() };
            world.WriteConfig(scenario);
            return world;
        }
        catch
        {
            host?.Dispose();
            bus?.Dispose();
            dir.Dispose();
            throw;
        }
    }

    /// <summary>Starts the daemon (<c>nodedaemon run</c>) against this world, unless it already runs.</summary>
    public void StartDaemon()
    {
        if (_daemon is { HasExited: false })
        {
            return;
        }

        CollectLogs();
        var environment = new Dictionary<string, string>(DaemonEnvironment) { ["DBUS_SYSTEM_BUS_ADDRESS"] = _bus.Address };
        _daemon = DaemonProcess.Start(_daemonCommand, ["run", "--config-dir", _dir.File("config.d")], environment);
    }

    /// <summary>kill -9 of the daemon: no shutdown code runs. It stays down until <see cref="StartDaemon"/>.</summary>
    public void CrashDaemon()
    {
        _daemon?.Kill();
        CollectLogs();
        Crashes++;
    }

    /// <summary>Applies new active faults to both worlds.</summary>
    public async Task SetFaultsAsync(IReadOnlyList<ScenarioFault> active)
    {
        Api.Faults.Set(ScenarioFaults.Api(active));
        if (Host.ExitCode is null)
        {
            await Host.SetFaultsAsync(ScenarioFaults.HostFile(active)).ConfigureAwait(false);
        }
        else
        {
            // The host is down (rebooting): the next start reads the file.
            await File.WriteAllTextAsync(Host.FaultsPath, ScenarioFaults.HostFile(active)).ConfigureAwait(false);
        }
    }

    /// <summary>Does what the machine and systemd would do about exited processes; true when something happened.</summary>
    /// <param name="activeFaults">The host faults in force, so a <c>die</c> fault is dropped once it has fired.</param>
    public async Task<bool> TendAsync(List<ScenarioFault> activeFaults)
    {
        ArgumentNullException.ThrowIfNull(activeFaults);
        if (Host.ExitCode == SimulatorScript.RebootExitCode)
        {
            await RebootAsync().ConfigureAwait(false);
            return true;
        }

        if (Host.ExitCode is not null)
        {
            // rpm-ostreed crashed: it fired its one death; D-Bus activation starts it again on the next call.
            activeFaults.RemoveAll(f => f.Kind == "die");
            await File.WriteAllTextAsync(Host.FaultsPath, ScenarioFaults.HostFile(activeFaults)).ConfigureAwait(false);
            await Host.RestartAsync().ConfigureAwait(false);
            HostRestarts++;
            return true;
        }

        if (_daemon is { ExitCode: 2 } refused)
        {
            // A configuration the daemon refuses is the scenario's mistake; restarting it would only repeat the refusal.
            throw new ScenarioException($"the daemon refused its configuration: {refused.Stderr.Trim()}");
        }

        if (_daemon is { ExitCode: { } code } && code != 0)
        {
            await Task.Delay(s_restartDelay).ConfigureAwait(false);
            StartDaemon();
            DaemonRestarts++;
            return true;
        }

        return false;
    }

    /// <summary>The reboot: stop the daemon (SIGTERM, then SIGKILL), boot the host state, new boot id, start both again.</summary>
    private async Task RebootAsync()
    {
        if (_daemon is { } daemon)
        {
            daemon.Terminate();
            if (daemon.WaitForExit(s_stopTimeout) is null)
            {
                daemon.Kill();
            }
        }

        var state = (JsonObject)JsonNode.Parse(await File.ReadAllTextAsync(Host.StatePath).ConfigureAwait(false))!;
        var faults = JsonNode.Parse(await File.ReadAllTextAsync(Host.FaultsPath).ConfigureAwait(false));
        BootTransition.Apply(state, finalizationLost: (bool?)faults?["finalization-lost"] ?? false);
        await File.WriteAllTextAsync(Host.StatePath, state.ToJsonString()).ConfigureAwait(false);
        Boot++;
        await File.WriteAllTextAsync(_dir.File("boot_id"), $"scenario-boot-{Boot}\n").ConfigureAwait(false);
        BootEventsStart = Host.Events.Count;
        await Host.RestartAsync().ConfigureAwait(false);
        StartDaemon();
    }

    /// <summary>Runs a one-shot daemon verb (<c>status</c>) against this world and returns what it printed.</summary>
    public string RunDaemonVerb(params string[] args)
    {
        using var verb = DaemonProcess.Start(_daemonCommand, [.. args, "--config-dir", _dir.File("config.d")], new Dictionary<string, string>
        {
            ["DBUS_SYSTEM_BUS_ADDRESS"] = _bus.Address,
        });
        verb.WaitForExit(s_stopTimeout);
        return verb.Stdout + verb.Stderr;
    }

    /// <summary>The host's state document now.</summary>
    public JsonObject HostState() => (JsonObject)JsonNode.Parse(File.ReadAllText(Host.StatePath))!;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_daemon is { } daemon)
        {
            daemon.Terminate();
            daemon.WaitForExit(s_stopTimeout);
        }

        CollectLogs();
        await Api.DisposeAsync().ConfigureAwait(false);
        Host.Dispose();
        _bus.Dispose();
        _dir.Dispose();
    }

    private void CollectLogs()
    {
        if (_daemon is { } previous)
        {
            DaemonLogs.Add(previous.Stderr);
            previous.Dispose();
            _daemon = null;
        }
    }

    private void WriteConfig(Scenario scenario)
    {
        var config = Directory.CreateDirectory(_dir.File("config.d")).FullName;
        File.WriteAllText(_dir.File("boot_id"), "scenario-boot-0\n");
        File.WriteAllText(Path.Combine(config, "10-world.json"), new JsonObject
        {
            ["nodeName"] = scenario.Node.Name,
            ["kubeconfig"] = Api.DaemonKubeconfigPath,
            ["stateDirectory"] = _dir.File("state"),
            ["bootIdFile"] = _dir.File("boot_id"),
            ["authFile"] = "",
            ["backend"] = "rpmOstree",
        }.ToJsonString());
        if (scenario.Options is { } options)
        {
            File.WriteAllText(Path.Combine(config, "20-scenario.json"), options.ToJsonString());
        }
    }

    private static string RegistryJson(Scenario scenario)
    {
        var registry = new JsonObject();
        foreach (var (pullspec, entry) in scenario.Registry)
        {
            registry[pullspec] = entry.DeepClone();
        }

        return registry.ToJsonString();
    }
}
