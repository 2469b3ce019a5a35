using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using NodeDaemon.Core.Options;
using NodeDaemon.Sim.Harness;
using NodeDaemon.Tests.Shared;

namespace NodeDaemon.RpmOstree.Tests;

/// <summary>A private dbus-daemon with the rpm-ostreed simulator on it, and our client pointed at it.</summary>
internal sealed class HostWorld : IAsyncDisposable
{
    public const string Repository = "quay.io/example/node-os";
    public static readonly string Digest = "sha256:" + new string('a', 64);
    public static readonly string Pinned = $"{Repository}@{Digest}";

    private readonly List<RpmOstreeHost> _clients = [];
    private readonly TempDirectory _dir = new("nodedaemon-hostworld-");

    private HostWorld(PrivateBus bus, RpmOstreedProcess sim)
    {
        Bus = bus;
        Sim = sim;
    }

    public PrivateBus Bus { get; }

    public RpmOstreedProcess Sim { get; }

    /// <summary>Where the client installs registry credentials (instead of /run/ostree/auth.json).</summary>
    public string AuthDestination => _dir.File("auth.json");

    public static async Task<HostWorld> StartAsync(string fixture = "fcos-container-status.json", string? faults = null,
        string? registry = null, double speed = 7.5)
    {
        var bus = await PrivateBus.StartAsync();
        try
        {
            var options = new RpmOstreedOptions(RepositoryPaths.RpmOstreeStatus(fixture), registry, faults, speed);
            return new HostWorld(bus, await RpmOstreedProcess.StartAsync(bus, options));
        }
        catch
        {
            bus.Dispose();
            throw;
        }
    }

    /// <summary>A client of the simulator, disposed with the world.</summary>
    public RpmOstreeHost Client(StagingOptions? staging = null, AuthFileInstaller? auth = null)
    {
        var options = new RpmOstreeHostOptions(Bus.Address, staging ?? new StagingOptions { BusyWait = TimeSpan.FromSeconds(10) })
        {
            BusyPollInterval = TimeSpan.FromMilliseconds(100),
        };
        var client = new RpmOstreeHost(options, auth, new LogindRebooter(Bus.Address), TimeProvider.System,
            NullLogger<RpmOstreeHost>.Instance);
        _clients.Add(client);
        return client;
    }

    public JsonObject State => (JsonObject)JsonNode.Parse(File.ReadAllText(Sim.StatePath))!;

    public JsonObject? StagedInState => State["deployments"]!.AsArray().OfType<JsonObject>()
        .FirstOrDefault(d => (bool?)d["staged"] == true);

    public async ValueTask DisposeAsync()
    {
        _clients.ForEach(c => c.Dispose());
        Sim.Dispose();
        Bus.Dispose();
        _dir.Dispose();
        await Task.CompletedTask;
    }
}
