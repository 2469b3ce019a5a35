using System.Text.Json.Nodes;
using NodeDaemon.Sim.Harness;
using NodeDaemon.Sim.KubeApi;
using NodeDaemon.Sim.KubeApi.Auth;
using NodeDaemon.Sim.RpmOstree;

namespace NodeDaemon.Sim.Scenarios;

/// <summary>The processes of one scenario: a private dbus-daemon, the rpm-ostreed simulator, the test API server
/// (in this process) and the daemon binary; reboots, crashes and restarts are carried out here.</summary>
/// <remarks>The daemon runs as the shipped unit (<c>systemd/nodedaemon.service</c>) runs it: a
/// <see cref="ServiceSupervisor"/> reads that file and plays systemd (watchdog, Restart=, RestartSec=, TimeoutStopSec=),
/// with every duration scaled by the scenario's <c>systemdTimeScale</c>.</remarks>
public sealed partial class ScenarioWorld : IAsyncDisposable
{
    private static readonly TimeSpan s_verbTimeout = TimeSpan.FromSeconds(10);
    private readonly TempDirectory _dir;
    private readonly DaemonCommandLine _daemonCommand;
    private readonly PrivateBus _bus;
    private readonly ServiceSupervisor _service;
    private readonly OciRegistry? _registry;
    private DaemonProcess? _daemon;
    private string? _apiKubeconfig;
    private string _nodeName = "";
    private StateDisk? _stateDisk;
    private int? _diskFullFromBoot;
    private bool _kubelet;

    private ScenarioWorld(TempDirectory dir, DaemonCommandLine daemonCommand, PrivateBus bus, RpmOstreedProcess host, TestApiServer api, SystemdUnit unit,
        OciRegistry? registry)
    {
        _registry = registry;
        _dir = dir;
        _daemonCommand = daemonCommand;
        _bus = bus;
        Host = host;
        Api = api;
        _service = new ServiceSupervisor(unit, LaunchDaemon);
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

    /// <summary>Times the daemon was started again by Restart= (it exited by itself with a failure, or the watchdog killed it).</summary>
    public int DaemonRestarts => _service.Restarts.Values.Sum();

    /// <summary>The supervisor playing systemd: watchdog kills, restarts by cause, every exit.</summary>
    public ServiceSupervisor Service => _service;

    /// <summary>Told what systemd did (a watchdog kill, an exit, a restart), for the narrator.</summary>
    public Action<string>? Said { get; set; }

    /// <summary>Times the simulated rpm-ostreed died (the <c>die</c> fault) and was started again.</summary>
    public int HostRestarts { get; private set; }

    /// <summary>The running daemon, if any.</summary>
    public DaemonProcess? Daemon => _daemon;

    /// <summary>Extra environment for every daemon run (e.g. <c>DOTNET_GCgen0size</c> to compare runtime settings).</summary>
    public IReadOnlyDictionary<string, string> DaemonEnvironment { get; init; } = new Dictionary<string, string>();

    /// <summary>What every daemon run wrote to stderr, for the result.</summary>
    public List<string> DaemonLogs { get; } = [];

    /// <summary>Starts the bus, the host and the API server (not the daemon).</summary>
    /// <remarks><paramref name="unit"/> is the unit to play; by default the repository's <c>systemd/nodedaemon.service</c>,
    /// scaled by the scenario's <c>systemdTimeScale</c>.</remarks>
    public static async Task<ScenarioWorld> StartAsync(Scenario scenario, JsonObject hostState, DaemonCommandLine daemon,
        IEnumerable<ScenarioFault> initialFaults, IReadOnlyDictionary<string, string>? daemonEnvironment = null, SystemdUnit? unit = null,
        OciRegistry? registry = null)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(hostState);
        unit ??= ShippedUnit(scenario, AppContext.BaseDirectory, Directory.GetCurrentDirectory());
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
                RegistryJson(scenario, registry, dir),
                ScenarioFaults.HostFile(faults),
                scenario.HostSpeed)).ConfigureAwait(false);
            var api = await TestApiServer.StartAsync(ScenarioSeed.Build(scenario), new TestApiServerOptions
            {
                TimeScale = scenario.ApiTimeScale,
                Transport = scenario.PlainHttp ? ApiServerTransport.PlainHttp1 : ApiServerTransport.Https,
                ReplacementReadyDelay = TimeSpan.FromSeconds(scenario.ReplacementReadySeconds),
                KubeconfigPath = dir.File("kubeconfig"),
                Faults = ScenarioFaults.Api(faults),
                Authorization = scenario.Rbac ? ApiAuthorization.Shipped() : null,
                NodeChurn = scenario.NodeChurn,
                NodeStatusReportFrequency = TimeSpan.FromSeconds(scenario.KubeletStatusSeconds),
            }).ConfigureAwait(false);
            var environment = new Dictionary<string, string>(daemonEnvironment ?? new Dictionary<string, string>());
            if (scenario.Faults.Any(f => f.Kind == "clock"))
            {
                // From the first start: a step then lands in the running daemon, as NTP's would.
                foreach (var (name, value) in ScenarioClock.Environment(dir.File("clock-offset")))
                {
                    environment[name] = value;
                }
            }

            var world = new ScenarioWorld(dir, daemon, bus, host, api, unit, registry) { DaemonEnvironment = environment };
            (world._nodeName, world._kubelet) = (scenario.Node.Name, scenario.Kubelet);
            world.WriteConfig(scenario);
            world.WriteRunnerFaults(faults);
            if (scenario.StateDisk is { } disk)
            {
                try
                {
                    world._stateDisk = await StateDisk.MountAsync(dir.File("state.img"), dir.File("state"), disk.Megabytes).ConfigureAwait(false);
                }
                catch (InvalidOperationException e)
                {
                    // Nothing is mounted; the host, the bus and the directory go below.
                    await api.DisposeAsync().ConfigureAwait(false);
                    throw new ScenarioException($"stateDisk: {e.Message}");
                }

                world._diskFullFromBoot = disk.FullFromBoot;
            }

            return world;
        }
        catch
        {
            host?.Dispose();
            bus?.Dispose();
            dir.Dispose();
            if (registry is not null)
            {
                await registry.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }
    }

    /// <summary>The shipped unit of the repository around the scenario (or <paramref name="elsewhere"/>), scaled by its <c>systemdTimeScale</c>.</summary>
    public static SystemdUnit ShippedUnit(Scenario scenario, params string[] elsewhere)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        try
        {
            return SystemdUnit.LoadShipped(elsewhere).Scaled(scenario.SystemdTimeScale);
        }
        catch (Exception e) when (e is IOException or FormatException)
        {
            throw new ScenarioException($"the unit to play: {e.Message}");
        }
    }

    /// <summary>Starts the daemon (<c>nodedaemon run</c>) against this world, unless it already runs: systemctl start.</summary>
    public void StartDaemon() => _service.Start();

    /// <summary>kill -9 of the daemon: no shutdown code runs. It stays down until <see cref="StartDaemon"/>.</summary>
    public void CrashDaemon()
    {
        _service.Crash();
        Crashes++;
    }

    /// <summary>Applies new active faults to both worlds.</summary>
    public async Task SetFaultsAsync(IReadOnlyList<ScenarioFault> active)
    {
        ArgumentNullException.ThrowIfNull(active);
        Api.Faults.Set(ScenarioFaults.Api(active));
        if (_registry is not null)
        {
            // The registry going away and coming back: the process stopped (connections refused) and started again.
            if (active.Any(f => f.Kind == ScenarioRealRegistry.DownFault))
            {
                _registry.Stop();
            }
            else
            {
                await _registry.StartAsync().ConfigureAwait(false);
            }
        }

        WriteRunnerFaults(active);
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
            activeFaults.RemoveAll(f => f.Kind is "die" or "die-in-finalize");
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

        if (_service.Tend() is { } line)
        {
            Said?.Invoke(line);
            return true;
        }

        return false;
    }

    /// <summary>Runs a one-shot daemon verb (<c>status</c>) against this world and returns what it printed.</summary>
    public string RunDaemonVerb(params string[] args)
    {
        using var verb = DaemonProcess.Start(_daemonCommand, [.. args, "--config-dir", _dir.File("config.d")], new Dictionary<string, string>
        {
            ["DBUS_SYSTEM_BUS_ADDRESS"] = _bus.Address,
        });
        verb.WaitForExit(s_verbTimeout);
        return verb.Stdout + verb.Stderr;
    }

    /// <summary>The host's state document now.</summary>
    public JsonObject HostState() => (JsonObject)JsonNode.Parse(File.ReadAllText(Host.StatePath))!;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            _service.Dispose();
            CollectLogs();
            await Api.DisposeAsync().ConfigureAwait(false);
            Host.Dispose();
            _bus.Dispose();
            if (_registry is not null)
            {
                await _registry.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            // The mount goes whatever else failed: a run must never leave a loop device behind.
            _stateDisk?.Dispose();
            _dir.Dispose();
        }
    }

    /// <summary>The supervisor's start: the previous run's logs kept, the daemon started with systemd's variables.</summary>
    private DaemonProcess LaunchDaemon(IReadOnlyDictionary<string, string> systemd)
    {
        CollectLogs();
        var environment = new Dictionary<string, string>(DaemonEnvironment) { ["DBUS_SYSTEM_BUS_ADDRESS"] = _bus.Address };
        foreach (var (name, value) in systemd)
        {
            environment[name] = value;
        }

        _daemon = DaemonProcess.Start(_daemonCommand, ["run", "--config-dir", _dir.File("config.d")], environment);
        return _daemon;
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

    /// <summary>The runner's own faults: the daemon's kubeconfig (a <c>kubeconfig</c> fault's content while one is on, else
    /// the API server's) and the daemon's clock offset (<see cref="ScenarioClock"/>).</summary>
    private void WriteRunnerFaults(IEnumerable<ScenarioFault> active)
    {
        File.WriteAllText(_dir.File("clock-offset"), ScenarioClock.OffsetFile(active));
        // The daemon's own identity (under RBAC, its service account's token bound to its Node, minted by the server as
        // the install flow's TokenRequest does), unless a fault swaps in a broken file.
        _apiKubeconfig ??= Api.DaemonKubeconfig(_nodeName);
        File.WriteAllText(_dir.File("daemon-kubeconfig.yaml"), ScenarioFaults.Kubeconfig(active) ?? _apiKubeconfig);
    }

    private void WriteConfig(Scenario scenario)
    {
        _nodeName = scenario.Node.Name;
        var config = Directory.CreateDirectory(_dir.File("config.d")).FullName;
        File.WriteAllText(_dir.File("boot_id"), "scenario-boot-0\n");
        WriteBootTime();
        File.WriteAllText(Path.Combine(config, "10-world.json"), new JsonObject
        {
            ["nodeName"] = scenario.Node.Name,
            ["kubeconfig"] = _dir.File("daemon-kubeconfig.yaml"),
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

    private static string RegistryJson(Scenario scenario, OciRegistry? real, TempDirectory dir)
    {
        var registry = new JsonObject();
        if (real is not null)
        {
            // The host's /run/ostree/auth.json, where rpm-ostree (ostree-ext) reads registry credentials.
            var authFile = real.WriteAuthFile(dir.File("auth.json"), valid: scenario.RealRegistry?.WrongCredentials != true);
            registry["real-registry"] = real.SimulatorSection(authFile);
        }

        foreach (var (pullspec, entry) in scenario.Registry)
        {
            registry[pullspec] = entry.DeepClone();
        }

        return registry.ToJsonString();
    }
}
