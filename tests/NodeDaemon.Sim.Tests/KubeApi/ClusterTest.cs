using System.Text.Json.Nodes;
using NodeDaemon.Sim.KubeApi;

namespace NodeDaemon.Sim.Tests.KubeApi;

/// <summary>A test class with its own test API server (started per test, disposed after) and an HTTP client for it.</summary>
public abstract class ClusterTest : IAsyncLifetime
{
    protected TestApiServer Server { get; private set; } = null!;

    protected HttpClient Client { get; private set; } = null!;

    /// <summary>The seed; null is the default drain cluster.</summary>
    protected virtual JsonObject? Seed => null;

    /// <summary>The server's options; null is <see cref="Cluster.Fast"/>.</summary>
    protected virtual TestApiServerOptions? Options => null;

    public async Task InitializeAsync()
    {
        Server = await Cluster.StartAsync(Options, Seed);
        Client = Cluster.Client(Server);
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }
}
