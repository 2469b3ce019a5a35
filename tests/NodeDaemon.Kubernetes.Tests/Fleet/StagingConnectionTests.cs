using NodeDaemon.Core.Fleet;
using NodeDaemon.Kubernetes.Api;
using NodeDaemon.Kubernetes.Fleet;
using NodeDaemon.Sim.KubeApi;
using static NodeDaemon.Kubernetes.Tests.Fleet.SlotWorld;

namespace NodeDaemon.Kubernetes.Tests.Fleet;

/// <summary>The staging slot client speaks on the daemon's one connection, as its node client does: no TLS handshake of its own.</summary>
public sealed class StagingConnectionTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_staging_slot_client_shares_the_daemons_one_HTTP2_connection()
    {
        await using var world = await StartAsync(2, output: output);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        world.Report("node-a", "Working", D0, D1);
        using var connection = KubeConnection.FromKubeconfig(world.Server.KubeconfigPath);
        var transport = Transport() with { Connection = connection };
        using var node = KubeNodeClient.Create(world.Server.KubeconfigPath, World.FastOptions("node-a") with { Transport = transport },
            TimeProvider.System, world.Log);
        using var staging = LeaseStagingSlotClient.Create(world.Server.KubeconfigPath, new LeaseStagingSlotClientOptions
        {
            Fleet = world.Fleet with { MaxStaging = "1" },
            Transport = transport,
            NodeKeys = world.Keys,
        }, TimeProvider.System, world.Log, NoApiRequestObserver.Instance);
        world.Server.Requests.Reset();

        Assert.Equal("node-a", (await node.GetAsync(cts.Token)).Name);
        Assert.IsType<StagingAnswer.Taken>(await staging.AcquireAsync(Member("node-a"), D1, cts.Token));
        await staging.ReleaseAsync(Member("node-a"), cts.Token);

        var connections = world.Server.Requests.Connections;
        Assert.Equal(1, connections.Accepted);
        Assert.Equal(1, connections[ConnectionCounter.Http2]);
    }
}
