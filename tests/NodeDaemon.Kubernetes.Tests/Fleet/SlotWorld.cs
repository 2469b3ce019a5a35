using System.Text.Json.Nodes;
using NodeDaemon.Core.Cluster;
using NodeDaemon.Core.Fleet;
using NodeDaemon.Core.Options;
using NodeDaemon.Kubernetes.Api;
using NodeDaemon.Kubernetes.Fleet;
using NodeDaemon.Sim.KubeApi;
using NodeDaemon.Sim.KubeApi.Store;

namespace NodeDaemon.Kubernetes.Tests.Fleet;

/// <summary>A test API server with a pool of nodes and the Lease namespace, and one slot client per node on demand.</summary>
internal sealed class SlotWorld : IAsyncDisposable
{
    public const string Namespace = "nodedaemon";
    public const string PoolLabel = "nodedaemon.io/pool";
    public const string Pool = "workers";
    public const string DigestKey = "nodedaemon.io/desired-digest";
    public const string D0 = "sha256:0000000000000000000000000000000000000000000000000000000000000000";
    public const string D1 = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
    public const string D2 = "sha256:2222222222222222222222222222222222222222222222222222222222222222";

    private readonly List<LeaseSlotClient> _clients = [];
    private readonly TimeProvider _time;

    private SlotWorld(TestApiServer server, FleetOptions fleet, AnnotationKeys keys, ITestOutputHelper? output, TimeProvider time)
    {
        Server = server;
        Fleet = fleet;
        Keys = keys;
        Log = new TestLogger(output);
        _time = time;
    }

    /// <summary>The server.</summary>
    public TestApiServer Server { get; }

    /// <summary>The fleet options every client gets.</summary>
    public FleetOptions Fleet { get; }

    /// <summary>The node annotation keys in force.</summary>
    public AnnotationKeys Keys { get; }

    /// <summary>The log of every client, for tests that look at what happened.</summary>
    public TestLogger Log { get; }

    /// <summary>
    /// Starts a server with <paramref name="nodes"/> nodes <c>node-a</c>, <c>node-b</c>, … (or <c>node-00</c>… past 26)
    /// in pool <see cref="Pool"/>, plus <paramref name="extra"/> objects.
    /// </summary>
    public static async Task<SlotWorld> StartAsync(int nodes, string maxUnavailable = "1", int haltAfterFailures = 1, IEnumerable<JsonObject>? extra = null,
        ITestOutputHelper? output = null, TimeProvider? time = null, AnnotationProtocol protocol = AnnotationProtocol.NodeDaemon,
        string poolLabel = PoolLabel, string pool = Pool)
    {
        var items = new JsonArray { new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = Namespace } } };
        foreach (var name in NodeNames(nodes))
        {
            items.Add(NodeObject(name, poolLabel, pool));
        }

        foreach (var obj in extra ?? [])
        {
            items.Add(obj);
        }

        var server = await TestApiServer.StartAsync(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "List", ["items"] = items });
        var fleet = new FleetOptions
        {
            Enabled = true,
            PoolLabel = poolLabel,
            MaxUnavailable = maxUnavailable,
            LeaseNamespace = Namespace,
            HaltAfterFailures = haltAfterFailures,
        };
        return new SlotWorld(server, fleet, AnnotationKeys.For(protocol, NodeDaemonOptionsDefaults.AnnotationPrefix), output, time ?? TimeProvider.System);
    }

    /// <summary>The node names a world of <paramref name="count"/> nodes has.</summary>
    public static IEnumerable<string> NodeNames(int count) =>
        Enumerable.Range(0, count).Select(i => count <= 26 ? $"node-{(char)('a' + i)}" : $"node-{i:D2}");

    /// <summary>A Node object in <paramref name="pool"/>.</summary>
    public static JsonObject NodeObject(string name, string poolLabel = PoolLabel, string pool = Pool) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Node",
        ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { [poolLabel] = pool } },
    };

    /// <summary>A slot Lease as another daemon (or an older version of this one) would have written it.</summary>
    public static JsonObject LeaseObject(string name, string holder, string? digest, DateTimeOffset renewTime, int durationSeconds = 300)
    {
        var metadata = new JsonObject { ["name"] = name, ["namespace"] = Namespace };
        if (digest is not null)
        {
            metadata["annotations"] = new JsonObject { [DigestKey] = digest };
        }

        var spec = new JsonObject
        {
            ["leaseDurationSeconds"] = durationSeconds,
            ["acquireTime"] = SlotLeaseBodies.MicroTime(renewTime),
            ["renewTime"] = SlotLeaseBodies.MicroTime(renewTime),
            ["leaseTransitions"] = 0,
        };
        if (holder.Length > 0)
        {
            spec["holderIdentity"] = holder;
        }

        return new JsonObject { ["apiVersion"] = "coordination.k8s.io/v1", ["kind"] = "Lease", ["metadata"] = metadata, ["spec"] = spec };
    }

    /// <summary>Transport options for fast tests: retries in milliseconds, many attempts.</summary>
    public static ApiTransportOptions Transport(int attempts = 20) => World.FastTransport with { WriteAttempts = attempts };

    /// <summary>A new slot client (each with its own connection), disposed with the world.</summary>
    /// <remarks><paramref name="poolRecheck"/> is zero by default, so every acquire reads the pool's nodes (the rules
    /// under test); the tests of the cheap "all held" answer give it a length. <paramref name="watchTimeout"/> is the
    /// transport's (<see cref="ApiTransportOptions.WatchTimeout"/>), not the wait's.</remarks>
    public LeaseSlotClient Client(string node = "node-a", int attempts = 20, TimeSpan? poolRecheck = null, string memoryPath = "", TimeSpan? watchTimeout = null)
    {
        var transport = Transport(attempts);
        var client = LeaseSlotClient.Create(Server.KubeconfigPath, new LeaseSlotClientOptions
        {
            Fleet = Fleet,
            Transport = watchTimeout is { } timeout ? transport with { WatchTimeout = timeout } : transport,
            NodeKeys = Keys,
            LeaseKeys = SlotLeaseKeys.Default,
            PoolRecheck = poolRecheck ?? TimeSpan.Zero,
            MemoryPath = memoryPath,
        }, _time, Log);
        lock (_clients)
        {
            _clients.Add(client);
        }

        return client;
    }

    /// <summary>The member for <paramref name="node"/> in <see cref="Pool"/>.</summary>
    public static SlotMember Member(string node, string pool = Pool) => new(node, pool);

    /// <summary>The request of <paramref name="node"/> for <paramref name="digest"/>.</summary>
    public static SlotRequest Request(string node, string digest = D1, string pool = Pool) => new(new SlotMember(node, pool), digest);

    /// <summary>A Lease as the server holds it, or null.</summary>
    public JsonObject? Lease(string name) => Server.Store.Get(ResourceTypes.Leases, Namespace, name);

    /// <summary>The holder of a Lease as the server holds it ("" when free, null when missing).</summary>
    public string? Holder(string name) => Lease(name) is { } lease ? (string?)lease["spec"]?["holderIdentity"] ?? "" : null;

    /// <summary>Every non-empty holder of a Lease in the namespace.</summary>
    public IReadOnlyList<string> Holders() =>
        [.. Server.Store.List(ResourceTypes.Leases, Namespace).Select(l => (string?)l["spec"]?["holderIdentity"] ?? "").Where(h => h.Length > 0).Order(StringComparer.Ordinal)];

    /// <summary>Sets node annotations in the store, as the node's daemon or an admin would (null removes one).</summary>
    public void Annotate(string node, params (string Key, string? Value)[] annotations) =>
        Server.Store.Update(ResourceTypes.Nodes, null, node, obj =>
        {
            var metadata = obj["metadata"]!.AsObject();
            if (metadata["annotations"] is not JsonObject map)
            {
                metadata["annotations"] = map = new JsonObject();
            }

            foreach (var (key, value) in annotations)
            {
                if (value is null)
                {
                    map.Remove(key);
                }
                else
                {
                    map[key] = value;
                }
            }

            return obj;
        });

    /// <summary>Reports the first <paramref name="count"/> nodes working towards <see cref="D1"/> from <see cref="D0"/>, at
    /// phase Staging: each one pulling or waiting to pull.</summary>
    public void Staging(int count)
    {
        foreach (var node in NodeNames(count))
        {
            Report(node, "Working", D0, D1);
            Annotate(node, (Keys.Phase, "Staging"));
        }
    }

    /// <summary>Reports <paramref name="node"/> waiting for a slot to update to <paramref name="digest"/>, as its daemon would:
    /// the phase annotation and the waiting label in one write.</summary>
    public void Waiting(string node, string digest)
    {
        Annotate(node, (Keys.State, "Working"), (Keys.Phase, "WaitingForSlot"), (Keys.DesiredImage, $"quay.io/example/os@{digest}"));
        Server.Store.Update(ResourceTypes.Nodes, null, node, obj =>
        {
            obj["metadata"]!["labels"]![Keys.WaitingLabel] = "true";
            return obj;
        });
    }

    /// <summary>Reports a node's state and images as its daemon would.</summary>
    public void Report(string node, string state, string? currentDigest, string? desiredDigest)
    {
        Annotate(node, (Keys.State, state),
            (Keys.CurrentImage, currentDigest is null ? null : $"quay.io/example/os@{currentDigest}"),
            (Keys.DesiredImage, desiredDigest is null ? null : $"quay.io/example/os@{desiredDigest}"));
        // As the daemon's report does in the same write.
        Server.Store.Update(ResourceTypes.Nodes, null, node, obj =>
        {
            var labels = obj["metadata"]!["labels"]!.AsObject();
            if (state == "Degraded")
            {
                labels[Keys.DegradedLabel] = "true";
            }
            else
            {
                labels.Remove(Keys.DegradedLabel);
            }

            return obj;
        });
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        await Server.DisposeAsync();
    }
}
