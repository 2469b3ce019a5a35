using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using NodeDaemon.Agent;
using NodeDaemon.Core.Agent;
using NodeDaemon.Core.Images;
using NodeDaemon.Core.Options;
using NodeDaemon.Kubernetes;
using NodeDaemon.Kubernetes.Api;
using NodeDaemon.Kubernetes.Fleet;
using NodeDaemon.Sim.KubeApi;
using NodeDaemon.State;
using NodeDaemon.Systemd;
using NodeDaemon.Tests.Systemd;

namespace NodeDaemon.Tests.Agent;

/// <summary>Two agent loops with fake hosts and the real node and Lease clients over HTTP to one test API server.</summary>
public sealed class PoolTurnsTests : IAsyncLifetime
{
    private const string PoolLabel = "nodedaemon.io/pool";
    private const string Namespace = "nodedaemon";
    private static readonly string s_new = "sha256:" + new string('2', 64);
    private static readonly TimeSpan s_recheck = TimeSpan.FromSeconds(15);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
    private readonly List<IDisposable> _disposables = [];
    private readonly List<DirectoryInfo> _directories = [];
    private TestApiServer? _server;

    private TestApiServer Server => _server!;

    /// <summary>One machine: its host, boot id, notes and the current daemon process's loop.</summary>
    private sealed class Machine(string name, FakeHostSystem host, DirectoryInfo state)
    {
        public string Name { get; } = name;
        public FakeHostSystem Host { get; } = host;
        public DirectoryInfo State { get; } = state;
        public int Boots { get; set; } = 1;
        public AgentLoop? Loop { get; set; }
        public Decision? Last { get; set; }
    }

    public async Task InitializeAsync()
    {
        var items = new JsonArray();
        foreach (var ns in new[] { "default", Namespace })
        {
            items.Add(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = ns } });
        }

        foreach (var name in new[] { "node-a", "node-b" })
        {
            items.Add(new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Node",
                ["metadata"] = new JsonObject
                {
                    ["name"] = name,
                    ["labels"] = new JsonObject { [PoolLabel] = "workers" },
                    ["annotations"] = new JsonObject { ["nodedaemon.io/desired-image"] = "quay.io/example/os@" + s_new },
                },
            });
        }

        _server = await TestApiServer.StartAsync(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "List", ["items"] = items });
    }

    public async Task DisposeAsync()
    {
        foreach (var disposable in _disposables)
        {
            disposable.Dispose();
        }

        foreach (var directory in _directories)
        {
            directory.Delete(recursive: true);
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    private static NodeDaemonOptions Options(string node) => new()
    {
        NodeName = node,
        Fleet = new FleetOptions { Enabled = true, PoolLabel = PoolLabel, MaxUnavailable = "1", LeaseNamespace = Namespace },
        // Today's turns, the gate off: these tests are about the slots.
        Health = new HealthOptions { Timeout = TimeSpan.Zero },
    };

    // Retries in milliseconds: the test server answers at once, and a real-time backoff would only slow the test.
    private static readonly ApiTransportOptions s_transport = new()
    {
        BackoffInitial = TimeSpan.FromMilliseconds(10),
        BackoffMax = TimeSpan.FromMilliseconds(200),
        RequestTimeout = TimeSpan.FromSeconds(10),
        WriteAttempts = 20,
    };

    private static KubeNodeClientOptions NodeClientOptions(string node) => KubeNodeClientOptions.From(Options(node)) with
    {
        Transport = s_transport,
        EvictionRetryMinimum = TimeSpan.FromMilliseconds(50),
        PodPollInterval = TimeSpan.FromMilliseconds(20),
    };

    /// <summary>A new daemon process on <paramref name="machine"/>: new clients, a new loop, the same notes and host.</summary>
    private void Start(Machine machine)
    {
        var options = Options(machine.Name) with { StateDirectory = machine.State.FullName };
        var node = KubeNodeClient.Create(Server.KubeconfigPath, NodeClientOptions(machine.Name), TimeProvider.System, NullLogger.Instance);
        var slots = LeaseSlotClient.Create(Server.KubeconfigPath, LeaseSlotClientOptions.From(options) with { Transport = s_transport },
            TimeProvider.System, NullLogger.Instance);
        _disposables.Add(node);
        _disposables.Add(slots);
        var boot = $"boot-{machine.Boots}";
        machine.Loop = new AgentLoop(node, machine.Host, slots,
            new AgentRecordStore(machine.State.FullName, _time, NullLogger<AgentRecordStore>.Instance), new FixedBootId(boot), options, _time,
            new AgentHeartbeat(_time), new StatusReporter(new RecordingNotifier()), NullLogger<AgentLoop>.Instance)
        {
            SlotRecheck = s_recheck,
        };
    }

    private sealed class FixedBootId(string id) : IBootIdSource
    {
        public string Read() => id;
    }

    private Machine NewMachine(string name)
    {
        var state = Directory.CreateTempSubdirectory("nodedaemon-pool-");
        _directories.Add(state);
        var machine = new Machine(name, new FakeHostSystem(), state);
        Start(machine);
        return machine;
    }

    private string? Annotation(string node, string key) =>
        (string?)Server.Store.Get(Sim.KubeApi.Store.ResourceTypes.Nodes, null, node)?["metadata"]?["annotations"]?[key];

    [Fact]
    public async Task With_one_slot_the_second_node_waits_until_the_first_is_Done_and_they_are_never_cordoned_together()
    {
        var census = new CordonCensus("node-a", "node-b", "nodedaemon.io/state");
        Server.Store.AddReactor(census);
        var a = NewMachine("node-a");
        var b = NewMachine("node-b");

        // node-a first, up to its reboot: it holds the pool's only slot.
        while (a.Last is not { State: AgentState.Rebooting, Action: AgentAction.Wait })
        {
            a.Last = await a.Loop!.TurnAsync(CancellationToken.None);
        }

        // node-b stages and is told who holds the slot; it waits on its timer.
        while (b.Last is not { Action: AgentAction.Wait })
        {
            b.Last = await b.Loop!.TurnAsync(CancellationToken.None);
        }

        Assert.Equal(AgentState.WaitingForSlot, b.Last.State);
        Assert.Equal("waiting for a slot: the pool's one slot is held", Annotation("node-b", "nodedaemon.io/message"));
        Assert.Equal("Working", Annotation("node-b", "nodedaemon.io/state"));

        // Then both go on, in turns, each reboot carried out as the machine would, until both rest on the new image.
        var machines = new[] { a, b };
        for (var step = 0; !machines.All(m => m.Last is { State: AgentState.Idle, Action: AgentAction.None }); step++)
        {
            Assert.True(step < 200, "no rest after 200 turns: " + string.Join(", ", machines.Select(m => $"{m.Name} {m.Last}")));
            foreach (var m in machines)
            {
                if (m.Last is { State: AgentState.Rebooting, Action: AgentAction.Wait })
                {
                    m.Host.Reboot();
                    m.Boots++;
                    Start(m);
                }

                m.Last = await m.Loop!.TurnAsync(CancellationToken.None);
                if (m.Last is { State: AgentState.WaitingForSlot, Action: AgentAction.Wait })
                {
                    _time.Advance(2 * s_recheck);
                }
            }
        }

        Assert.Equal(1, census.MaxCordoned);
        Assert.Equal(("Done", false), census.FirstWhenSecondTookASlot);
        Assert.All(machines, m => Assert.Equal(Digest.Parse(s_new), m.Host.Booted.ImageDigest));
        Assert.All(machines, m => Assert.Equal(1, m.Host.Finalizations));
        Assert.All(machines, m => Assert.Equal("Done", Annotation(m.Name, "nodedaemon.io/state")));
        Assert.DoesNotContain(Server.Store.List(Sim.KubeApi.Store.ResourceTypes.Leases, Namespace),
            l => ((string?)l["spec"]?["holderIdentity"] ?? "").Length > 0);
    }
}
