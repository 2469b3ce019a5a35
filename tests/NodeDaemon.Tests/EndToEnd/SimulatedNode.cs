using System.Text.Json.Nodes;
using NodeDaemon.Sim.Harness;
using NodeDaemon.Sim.KubeApi;
using NodeDaemon.Sim.KubeApi.Store;
using NodeDaemon.Sim.RpmOstree;
using NodeDaemon.Tests.Shared;
using NodeDaemon.Tests.Support;
using NodeDaemon.Testing;

namespace NodeDaemon.Tests.EndToEnd;

/// <summary>One simulated node: rpm-ostreed on a private bus, a loopback API server, and the real daemon process.</summary>
/// <remarks>A reboot is carried out the way a machine does it: the daemon is stopped, the host state is booted
/// (<c>nodedaemon-sim boot</c>'s transition), the boot id changes, and rpm-ostreed and the daemon start again.</remarks>
internal sealed class SimulatedNode : IAsyncDisposable
{
    public const string NodeName = "worker-1";
    private readonly TempDirectory _dir = new("nodedaemon-e2e-");
    private DaemonProcess? _daemon;
    private int _boots = 1;

    private SimulatedNode(PrivateBus bus, RpmOstreedProcess host, TestApiServer api)
    {
        Bus = bus;
        Host = host;
        Api = api;
        Directory.CreateDirectory(_dir.File("config.d"));
        File.WriteAllText(_dir.File("boot_id"), "boot-1\n");
        File.WriteAllText(_dir.File("config.d/10-sim.json"), new JsonObject
        {
            ["nodeName"] = NodeName,
            ["kubeconfig"] = api.KubeconfigPath,
            ["stateDirectory"] = _dir.File("state"),
            ["bootIdFile"] = _dir.File("boot_id"),
            ["authFile"] = "",
            ["backend"] = "rpmOstree",
        }.ToJsonString());
    }

    public PrivateBus Bus { get; }

    /// <summary>The daemon's drop-in directory (node name, kubeconfig, state and boot id paths).</summary>
    public string ConfigDirectory => _dir.File("config.d");

    public RpmOstreedProcess Host { get; }

    public TestApiServer Api { get; }

    public int Reboots { get; private set; }

    public DaemonProcess Daemon => _daemon ?? throw new InvalidOperationException("not started");

    public static async Task<SimulatedNode> StartAsync(string fixture = "fcos-container-status.json")
    {
        var bus = await PrivateBus.StartAsync();
        var host = await RpmOstreedProcess.StartAsync(bus, new RpmOstreedOptions(RepositoryPaths.RpmOstreeStatus(fixture)));
        var seed = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "List",
            ["items"] = new JsonArray(new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Node",
                ["metadata"] = new JsonObject { ["name"] = NodeName, ["labels"] = new JsonObject { ["node-role.kubernetes.io/worker"] = "" } },
            }),
        };
        var api = await TestApiServer.StartAsync(seed, new TestApiServerOptions { TimeScale = 0.01 });
        return new SimulatedNode(bus, host, api);
    }

    /// <summary>The simulated host recorded a reboot request (FinalizeDeployment or logind).</summary>
    public bool RebootRequested
    {
        get
        {
            try
            {
                return JsonNode.Parse(File.ReadAllText(Host.StatePath))?["nodedaemon-sim"]?["reboot-requested"] is not null;
            }
            catch (Exception e) when (e is IOException or System.Text.Json.JsonException)
            {
                return false;
            }
        }
    }

    public JsonObject Node => Api.Store.Get(ResourceTypes.Nodes, null, NodeName)!;

    public string? Annotation(string key) => (string?)Node["metadata"]?["annotations"]?[key];

    public void Annotate(string key, string value) =>
        Api.Store.Update(ResourceTypes.Nodes, null, NodeName, node =>
        {
            var metadata = (JsonObject)node["metadata"]!;
            var annotations = metadata["annotations"] as JsonObject ?? [];
            annotations[key] = value;
            metadata["annotations"] = annotations;
            return node;
        });

    public void StartDaemon(string notifySocket, IReadOnlyDictionary<string, string>? environment = null)
    {
        var variables = new Dictionary<string, string>
        {
            ["DBUS_SYSTEM_BUS_ADDRESS"] = Bus.Address,
            ["NOTIFY_SOCKET"] = notifySocket,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            variables[name] = value;
        }

        _daemon = TestDaemon.Start(["run", "--config-dir", _dir.File("config.d")], variables);
    }

    /// <summary>The host asked for a reboot: stop the daemon, boot the host state, new boot id, start both again.</summary>
    public async Task RebootAsync(string notifySocket)
    {
        Daemon.Terminate();
        Assert.NotNull(Daemon.WaitForExit(TimeSpan.FromSeconds(20)));
        _daemon?.Dispose();
        var state = (JsonObject)JsonNode.Parse(await File.ReadAllTextAsync(Host.StatePath))!;
        BootTransition.Apply(state, finalizationLost: false);
        await File.WriteAllTextAsync(Host.StatePath, state.ToJsonString());
        await File.WriteAllTextAsync(_dir.File("boot_id"), $"boot-{++_boots}\n");
        Reboots++;
        await Host.RestartAsync();
        StartDaemon(notifySocket);
    }

    /// <summary>Waits (bounded) until <paramref name="condition"/> holds, failing with what the node says.</summary>
    public Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what) => Poll.UntilAsync(condition, what, timeout,
        () => $"node annotations: {Node["metadata"]?["annotations"]?.ToJsonString()}; daemon stderr: {_daemon?.Stderr}");

    public async ValueTask DisposeAsync()
    {
        _daemon?.Dispose();
        await Api.DisposeAsync();
        Host.Dispose();
        Bus.Dispose();
        _dir.Dispose();
    }
}
