using NodeDaemon.Core.Fleet;
using NodeDaemon.Sim.KubeApi.Faults;
using static NodeDaemon.Kubernetes.Tests.Fleet.SlotWorld;

namespace NodeDaemon.Kubernetes.Tests.Fleet;

public sealed class HaltTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Degraded_nodes_on_the_same_desired_digest_at_the_threshold_halt_the_pool_and_nothing_is_taken()
    {
        await using var world = await StartAsync(5, maxUnavailable: "3", haltAfterFailures: 2, output: output);
        world.Report("node-b", "Degraded", D0, D1);
        world.Report("node-c", "Degraded", D0, D1);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var answer = await world.Client().AcquireAsync(Request("node-a"), cts.Token);

        var halted = Assert.IsType<SlotAnswer.Halted>(answer);
        Assert.Equal(["node-b", "node-c"], halted.DegradedNodes);
        Assert.Equal(D1, halted.DesiredDigest);
        Assert.Equal(0, world.Server.Requests["create leases"] + world.Server.Requests["update leases"]);
    }

    [Fact]
    public async Task Below_the_threshold_on_another_digest_or_in_another_pool_the_pool_goes_on()
    {
        await using var world = await StartAsync(5, maxUnavailable: "3", haltAfterFailures: 2,
            extra: [NodeObject("node-x", pool: "infra")], output: output);
        world.Report("node-b", "Degraded", D0, D1);
        world.Report("node-c", "Degraded", D0, D2);
        world.Report("node-d", "Working", D0, D1);
        world.Report("node-x", "Degraded", D0, D1);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        Assert.IsType<SlotAnswer.Acquired>(await world.Client().AcquireAsync(Request("node-a"), cts.Token));
    }

    [Fact]
    public async Task The_asking_node_does_not_count_itself_and_a_holder_is_never_halted()
    {
        await using var world = await StartAsync(3, maxUnavailable: "2", output: output);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var b = world.Client("node-b");
        await b.AcquireAsync(Request("node-b"), cts.Token);
        world.Report("node-a", "Degraded", D0, D1);

        Assert.IsType<SlotAnswer.Acquired>(await world.Client().AcquireAsync(Request("node-a"), cts.Token));
        world.Report("node-c", "Degraded", D0, D1);
        Assert.IsType<SlotAnswer.Held>(await b.AcquireAsync(Request("node-b"), cts.Token));
        Assert.IsType<SlotAnswer.Halted>(await world.Client("node-c").AcquireAsync(Request("node-c"), cts.Token));
    }

    [Fact]
    public async Task A_free_slot_is_taken_after_reading_only_the_pools_Degraded_nodes()
    {
        await using var world = await StartAsync(5, maxUnavailable: "2", haltAfterFailures: 2, output: output);
        world.Report("node-c", "Degraded", D0, D1);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        Assert.IsType<SlotAnswer.Acquired>(await world.Client("node-a", poolRecheck: TimeSpan.FromMinutes(1)).AcquireAsync(Request("node-a"), cts.Token));

        // One list before the take and one after it, of node-c alone: a pool annotated at once does not read every node once per node.
        Assert.Equal(2, world.Server.Requests["list nodes"]);
        Assert.Equal(2, world.Server.Requests.Listed("list nodes"));
    }

    [Fact]
    public async Task The_halt_is_seen_from_the_Degraded_label_without_reading_the_pool()
    {
        await using var world = await StartAsync(5, maxUnavailable: "2", haltAfterFailures: 2, output: output);
        world.Report("node-c", "Degraded", D0, D1);
        world.Report("node-d", "Degraded", D0, D1);
        world.Report("node-e", "Degraded", D0, D2);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var halted = Assert.IsType<SlotAnswer.Halted>(await world.Client("node-a", poolRecheck: TimeSpan.FromMinutes(1)).AcquireAsync(Request("node-a"), cts.Token));

        Assert.Equal(["node-c", "node-d"], halted.DegradedNodes);
        Assert.Empty(world.Holders());
        Assert.Equal(3, world.Server.Requests.Listed("list nodes"));
    }

    [Fact]
    public async Task A_percentage_without_a_recent_count_reads_the_whole_pool()
    {
        await using var world = await StartAsync(5, maxUnavailable: "40%", output: output);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        Assert.IsType<SlotAnswer.Acquired>(await world.Client("node-a", poolRecheck: TimeSpan.FromMinutes(1)).AcquireAsync(Request("node-a"), cts.Token));

        Assert.Equal(5, world.Server.Requests.Listed("list nodes"));
    }

    // The halt is read from the nodes, the grant is a write of a Lease: a node that degrades in between (under starvation a
    // read can be seconds old when its write lands) is seen by the read after the write, and the slot goes back before
    // anything is disrupted for it.
    [Fact]
    public async Task A_node_Degraded_between_the_halt_read_and_the_take_makes_the_taker_give_the_slot_back()
    {
        await using var world = await StartAsync(5, maxUnavailable: "2", haltAfterFailures: 2, output: output);
        world.Report("node-c", "Degraded", D0, D1);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var a = world.Client("node-a", attempts: 200, poolRecheck: TimeSpan.FromMinutes(1));

        var acquiring = await RaceTests.PausedAtLeaseWriteAsync(world, () => a.AcquireAsync(Request("node-a"), cts.Token), cts.Token);
        world.Report("node-d", "Degraded", D0, D1);
        world.Server.Faults.Set(new FaultSettings());

        var halted = Assert.IsType<SlotAnswer.Halted>(await acquiring);
        Assert.Equal(["node-c", "node-d"], halted.DegradedNodes);
        Assert.Empty(world.Holders());
        Assert.Contains(world.Log.Lines, l => l.Contains("gave slot nodedaemon-workers-", StringComparison.Ordinal) && l.Contains("back at once (node node-a)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_node_Degraded_between_the_halt_read_and_the_hand_over_makes_the_successor_give_the_slot_back()
    {
        await using var world = await StartAsync(5, maxUnavailable: "1", haltAfterFailures: 2, output: output);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var b = world.Client("node-b", attempts: 200);
        Assert.IsType<SlotAnswer.Acquired>(await b.AcquireAsync(Request("node-b"), cts.Token));
        world.Report("node-c", "Degraded", D0, D1);
        world.Waiting("node-a", D1);

        // node-b reads the waiting and Degraded nodes (one Degraded: the pool goes on) and is held at its hand-over's write.
        var releasing = await RaceTests.PausedAtLeaseWriteAsync(world, async () =>
        {
            await b.ReleaseAsync(Member("node-b"), cts.Token);
            return new SlotAnswer.Full([]);
        }, cts.Token);
        world.Report("node-d", "Degraded", D0, D1);
        world.Server.Faults.Set(new FaultSettings());
        await releasing;
        Assert.Equal(["node-a"], world.Holders());

        var halted = Assert.IsType<SlotAnswer.Halted>(await world.Client("node-a").AcquireAsync(Request("node-a"), cts.Token));

        Assert.Equal(["node-c", "node-d"], halted.DegradedNodes);
        Assert.Empty(world.Holders());
    }
}
