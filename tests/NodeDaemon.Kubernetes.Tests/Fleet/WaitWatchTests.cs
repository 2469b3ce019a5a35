using NodeDaemon.Core.Fleet;
using NodeDaemon.Kubernetes.Api;
using NodeDaemon.Kubernetes.Fleet;
using NodeDaemon.Testing;
using static NodeDaemon.Kubernetes.Tests.Fleet.SlotWorld;

namespace NodeDaemon.Kubernetes.Tests.Fleet;

/// <summary>A refused node's slot watch asks for the wait's timeout, not the transport's: its recheck, not a renewal,
/// reads what a broken stream missed, so a long queue costs no renewals.</summary>
public sealed class WaitWatchTests(ITestOutputHelper output)
{
    // The transport's watch timeout of the waiting clients here: a watch asking for it would end and be renewed at
    // least twice within the pause.
    private static readonly TimeSpan ShortWatch = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Pause = TimeSpan.FromSeconds(4);

    [Fact]
    public async Task A_node_waiting_for_a_slot_keeps_its_one_watch_past_the_transports_watch_timeout_and_hears_the_hand_over_on_it()
    {
        await using var world = await StartAsync(2, output: output);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var holder = world.Client("node-a");
        Assert.IsType<SlotAnswer.Acquired>(await holder.AcquireAsync(Request("node-a"), cts.Token));
        var waiter = world.Client("node-b", watchTimeout: ShortWatch);
        Assert.IsType<SlotAnswer.Full>(await waiter.AcquireAsync(Request("node-b"), cts.Token));
        world.Waiting("node-b", D1);
        world.Server.Requests.Reset();

        await using var news = waiter.WatchAsync(Member("node-b"), cts.Token).GetAsyncEnumerator(cts.Token);
        var next = news.MoveNextAsync();
        await Poll.UntilAsync(() => world.Server.Requests["watch leases"] == 1, "the waiting node's Lease watch");
        await Task.Delay(Pause, cts.Token);

        Assert.Equal(1, world.Server.Requests["watch leases"]);
        await holder.ReleaseAsync(Member("node-a"), cts.Token);
        Assert.True(await next);
        Assert.Equal(new SlotChance("nodedaemon-workers-0", HandedToUs: true), news.Current);
        Assert.Equal(1, world.Server.Requests["watch leases"]);
    }

    [Fact]
    public async Task A_node_waiting_for_a_staging_slot_keeps_its_one_watch_past_the_transports_watch_timeout_and_hears_the_hand_over_on_it()
    {
        await using var world = await StartAsync(2, output: output);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        world.Staging(2);

        using var holder = StagingClient(world, Transport());
        using var waiter = StagingClient(world, Transport() with { WatchTimeout = ShortWatch });
        Assert.IsType<StagingAnswer.Taken>(await holder.AcquireAsync(Member("node-a"), D1, cts.Token));
        Assert.IsType<StagingAnswer.Full>(await waiter.AcquireAsync(Member("node-b"), D1, cts.Token));
        world.Server.Requests.Reset();

        await using var news = waiter.WatchAsync(Member("node-b"), cts.Token).GetAsyncEnumerator(cts.Token);
        var next = news.MoveNextAsync();
        await Poll.UntilAsync(() => world.Server.Requests["watch leases"] == 1, "the waiting node's staging Lease watch");
        await Task.Delay(Pause, cts.Token);

        Assert.Equal(1, world.Server.Requests["watch leases"]);
        await holder.ReleaseAsync(Member("node-a"), cts.Token);
        Assert.True(await next);
        Assert.Equal(["node-b"], world.Holders());
        Assert.Equal(1, world.Server.Requests["watch leases"]);
    }

    private static LeaseStagingSlotClient StagingClient(SlotWorld world, ApiTransportOptions transport) =>
        LeaseStagingSlotClient.Create(world.Server.KubeconfigPath, new LeaseStagingSlotClientOptions
        {
            Fleet = world.Fleet with { MaxStaging = "1" },
            Transport = transport,
            NodeKeys = world.Keys,
        }, TimeProvider.System, world.Log, NoApiRequestObserver.Instance);
}
