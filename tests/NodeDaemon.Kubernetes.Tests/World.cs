using System.Text.Json.Nodes;
using NodeDaemon.Kubernetes;
using NodeDaemon.Kubernetes.Api;
using NodeDaemon.Sim.KubeApi;
using NodeDaemon.Sim.KubeApi.Store;

namespace NodeDaemon.Kubernetes.Tests;

/// <summary>A test API server and a node client for node-a on it, both disposed together.</summary>
internal sealed class World : IAsyncDisposable
{
    private World(TestApiServer server, KubeNodeClient client, KubeNodeClientOptions options)
    {
        Server = server;
        Client = client;
        Options = options;
    }

    /// <summary>The server.</summary>
    public TestApiServer Server { get; }

    /// <summary>The client under test, for node-a.</summary>
    public KubeNodeClient Client { get; }

    /// <summary>The client's options.</summary>
    public KubeNodeClientOptions Options { get; }

    /// <summary>Fast transport timings: retries in milliseconds, a 15 s request bound, many attempts.</summary>
    /// <remarks>The request bound is a bound, not a fault: an answer later than it makes the client send the write again,
    /// and the tests count requests exactly. At 5 s it was reached once under CI's parallel test load (CordonTests'
    /// stale uncordon, 7.7 s, ending as if its applied PATCH had not been ours). Tests that want a timeout set their own.</remarks>
    public static ApiTransportOptions FastTransport { get; } = new()
    {
        BackoffInitial = TimeSpan.FromMilliseconds(10),
        BackoffMax = TimeSpan.FromMilliseconds(200),
        RequestTimeout = TimeSpan.FromSeconds(15),
        WriteAttempts = 20,
    };

    /// <summary>Fast client timings: <see cref="FastTransport"/>, and drain polls in milliseconds.</summary>
    public static KubeNodeClientOptions FastOptions(string node = "node-a") => new()
    {
        NodeName = node,
        Transport = FastTransport,
        EvictionRetryMinimum = TimeSpan.FromMilliseconds(50),
        PodPollInterval = TimeSpan.FromMilliseconds(20),
    };

    /// <summary><see cref="FastOptions(string)"/> with <paramref name="transport"/> applied to its transport, e.g. fewer attempts.</summary>
    public static KubeNodeClientOptions FastOptions(Func<ApiTransportOptions, ApiTransportOptions> transport) =>
        FastOptions() with { Transport = transport(FastTransport) };

    /// <summary>Starts a server on <paramref name="seed"/> (default: the drain cluster) and a client.</summary>
    public static async Task<World> StartAsync(JsonObject? seed = null, KubeNodeClientOptions? options = null, TestApiServerOptions? serverOptions = null,
        ITestOutputHelper? output = null, TimeProvider? time = null)
    {
        var server = await TestApiServer.StartAsync(seed ?? Seed("drain-cluster.json"), serverOptions ?? new TestApiServerOptions
        {
            TimeScale = 0.01,
            ReplacementReadyDelay = TimeSpan.FromSeconds(50),
        });
        options ??= FastOptions();
        try
        {
            return new World(server, KubeNodeClient.Create(server.KubeconfigPath, options, time ?? TimeProvider.System, new TestLogger(output)), options);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>A seed from Seeds/.</summary>
    public static JsonObject Seed(string name) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Seeds", name)))!.AsObject();

    /// <summary>The node as the server holds it.</summary>
    public JsonObject Node(string name = "node-a") => Server.Store.Get(ResourceTypes.Nodes, null, name)!;

    /// <summary>An annotation of the node as the server holds it, or null.</summary>
    public string? Annotation(string key, string name = "node-a") => Node(name)["metadata"]?["annotations"]?[key]?.GetValue<string>();

    /// <summary>Changes the node's annotations in the store, as an admin would.</summary>
    public void Annotate(string key, string? value, string name = "node-a") =>
        Server.Store.Update(ResourceTypes.Nodes, null, name, node =>
        {
            var metadata = node["metadata"]!.AsObject();
            if (metadata["annotations"] is not JsonObject annotations)
            {
                metadata["annotations"] = annotations = new JsonObject();
            }

            annotations[key] = value;
            if (value is null)
            {
                annotations.Remove(key);
            }

            return node;
        });

    /// <summary>Sets <c>spec.unschedulable</c> in the store, as an admin's <c>kubectl cordon</c> would.</summary>
    public void SetUnschedulable(bool value, string name = "node-a") =>
        Server.Store.Update(ResourceTypes.Nodes, null, name, node =>
        {
            node["spec"] ??= new JsonObject();
            node["spec"]!["unschedulable"] = value;
            return node;
        });

    /// <summary>Whether the node is unschedulable in the store.</summary>
    public bool Unschedulable(string name = "node-a") => Node(name)["spec"]?["unschedulable"]?.GetValue<bool>() ?? false;

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }
}
