using System.Text.Json.Nodes;
using NodeDaemon.Core.Fleet;
using NodeDaemon.Core.Options;
using NodeDaemon.Kubernetes.Api;
using NodeDaemon.Kubernetes.Fleet;
using NodeDaemon.Kubernetes.Tests.Fleet;
using NodeDaemon.Sim.KubeApi;

namespace NodeDaemon.Kubernetes.Tests.Api;

/// <summary>A daemon's clients on one <see cref="KubeConnection"/>: over TLS with h2 every watch and request is a stream
/// of ONE HTTP/2 connection, as client-go's; against a server without h2 everything still works over HTTP/1.1.</summary>
public sealed class Http2ConnectionTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Watches_and_concurrent_requests_share_one_HTTP2_connection()
    {
        await using var server = await TestApiServer.StartAsync(Seed(), new TestApiServerOptions { Transport = ApiServerTransport.Https });

        await RunDaemonTrafficAsync(server);

        var connections = server.Requests.Connections;
        Assert.Equal(1, connections.Accepted);
        Assert.Equal(1, connections[ConnectionCounter.Http2]);
        Assert.Equal(0, connections[ConnectionCounter.Http11]);
    }

    [Theory]
    [InlineData(ApiServerTransport.HttpsHttp1Only)]
    [InlineData(ApiServerTransport.PlainHttp1)]
    public async Task Without_h2_on_offer_everything_works_over_HTTP1(ApiServerTransport transport)
    {
        await using var server = await TestApiServer.StartAsync(Seed(), new TestApiServerOptions { Transport = transport });

        await RunDaemonTrafficAsync(server);

        var connections = server.Requests.Connections;
        Assert.Equal(0, connections[ConnectionCounter.Http2]);
        Assert.Equal(connections.Accepted, connections[ConnectionCounter.Http11]);
        // HTTP/1.1 has one request per connection at a time: the two open watches alone hold two, the requests more.
        Assert.True(connections.Accepted >= 3, $"{connections.Accepted} connections");
    }

    /// <summary>What a daemon does at once: its node watch and slot Lease watch open, eight node reads and a slot
    /// acquire in flight together; each must succeed.</summary>
    private async Task RunDaemonTrafficAsync(TestApiServer server)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var connection = KubeConnection.FromKubeconfig(server.KubeconfigPath);
        var transport = World.FastTransport with { Connection = connection };
        var log = new TestLogger(output);
        using var node = KubeNodeClient.Create(server.KubeconfigPath, World.FastOptions() with { Transport = transport }, TimeProvider.System, log);
        using var slots = LeaseSlotClient.Create(server.KubeconfigPath, new LeaseSlotClientOptions
        {
            Fleet = new FleetOptions { Enabled = true, PoolLabel = SlotWorld.PoolLabel, LeaseNamespace = SlotWorld.Namespace },
            Transport = transport,
            PoolRecheck = TimeSpan.Zero,
        }, TimeProvider.System, log);

        await using var nodeWatch = node.WatchAsync(cts.Token).GetAsyncEnumerator(cts.Token);
        Assert.True(await nodeWatch.MoveNextAsync());
        Assert.Equal("node-a", nodeWatch.Current.Name);
        await using var slotWatch = slots.WatchAsync(SlotWorld.Member("node-a"), cts.Token).GetAsyncEnumerator(cts.Token);
        var slotChance = slotWatch.MoveNextAsync().AsTask();
        while (server.Requests["watch leases"] == 0)
        {
            // Bounded by cts: the watch is opened in the background by the first MoveNext.
            await Task.Delay(20, cts.Token);
        }

        var reads = Enumerable.Range(0, 8).Select(_ => node.GetAsync(cts.Token)).ToList();
        var acquire = slots.AcquireAsync(SlotWorld.Request("node-a"), cts.Token);
        await Task.WhenAll([.. reads, acquire]);

        Assert.All(reads, read => Assert.Equal("node-a", read.Result.Name));
        Assert.IsType<SlotAnswer.Acquired>(acquire.Result);
        Assert.Equal(1, server.Requests["watch nodes"]);
        Assert.Equal(1, server.Requests["watch leases"]);
        Assert.False(slotChance.IsFaulted, slotChance.Exception?.ToString());
        await cts.CancelAsync();
        try
        {
            // An iterator cannot be disposed while a MoveNext is in flight: let the cancelled watch end first.
            await slotChance;
        }
        catch (OperationCanceledException)
        {
            // The watch ended by the cancellation above.
        }
    }

    private static JsonObject Seed() => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "List",
        ["items"] = new JsonArray
        {
            new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = SlotWorld.Namespace } },
            SlotWorld.NodeObject("node-a"),
        },
    };
}
