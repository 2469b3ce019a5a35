using NodeDaemon.Kubernetes.Fleet;
using Microsoft.Extensions.Time.Testing;
using NodeDaemon.Core.Fleet;
using static NodeDaemon.Kubernetes.Tests.Fleet.SlotWorld;
using NodeDaemon.Testing;

namespace NodeDaemon.Kubernetes.Tests.Fleet;

/// <summary>A holder that is done hands its slot to a waiting node, which learns it from its watch and takes it up.</summary>
public sealed class HandOverTests(ITestOutputHelper output)
{
    private const string HandedOverBy = "nodedaemon.io/handed-over-by";

    [Fact]
    public async Task A_released_slot_goes_to_a_waiting_node_whose_watch_tells_it_and_one_write_takes_it_up()
    {
        await using var world = await StartAsync(3, output: output);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var holder = world.Client("node-a");
        await holder.AcquireAsync(Request("node-a"), cts.Token);
        var waiter = await RefusedAsync(world, "node-b", cts.Token);
        Wait(world, "node-b", D1);
        await using var news = waiter.WatchAsync(Member("node-b"), cts.Token).GetAsyncEnumerator(cts.Token);
        var next = news.MoveNextAsync();

        await holder.ReleaseAsync(Member("node-a"), cts.Token);

        Assert.True(await next);
        Assert.Equal(new SlotChance("nodedaemon-workers-0", HandedToUs: true), news.Current);
        var lease = world.Lease("nodedaemon-workers-0")!;
        Assert.Equal("node-b", (string?)lease["spec"]!["holderIdentity"]);
        Assert.Equal("node-a", (string?)lease["metadata"]!["annotations"]![HandedOverBy]);
        Assert.Equal(D1, (string?)lease["metadata"]!["annotations"]![DigestKey]);
        Assert.Equal(1, (int)lease["spec"]!["leaseTransitions"]!);
        // Held, but not taken up: its digest is not confirmed until the take-up writes it (a new process asks again).
        Assert.Equal(new HeldSlot("nodedaemon-workers-0", null), await world.Client("node-b").HoldsAsync(Member("node-b"), cts.Token));

        world.Server.Requests.Reset();
        var answer = await waiter.AcquireAsync(Request("node-b"), cts.Token);

        Assert.Equal(new SlotAnswer.Acquired("nodedaemon-workers-0", HandedOverBy: "node-a"), answer);
        Assert.Equal("took slot nodedaemon-workers-0, handed over by node-a", answer.Message);
        Assert.Null(world.Lease("nodedaemon-workers-0")!["metadata"]!["annotations"]![HandedOverBy]);
        Assert.Equal(1, world.Server.Requests["update leases"]);
        Assert.Equal(0, world.Server.Requests["list leases"]);
        Assert.Equal(new HeldSlot("nodedaemon-workers-0", Core.Images.Digest.Parse(D1)), await world.Client("node-b").HoldsAsync(Member("node-b"), cts.Token));
    }

    [Fact]
    public async Task A_hand_over_reads_a_slot_count_page_of_the_waiting_nodes_and_the_degraded_ones_not_the_whole_pool()
    {
        // Ten nodes wait behind two slots: each hand-over goes to one of the first two waiters, as it would from a read of
        // every node, but it reads two nodes, not twelve (a pool of 2,000 read once per update is 4 million objects).
        await using var world = await StartAsync(12, maxUnavailable: "2", output: output);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await world.Client("node-a").AcquireAsync(Request("node-a"), cts.Token);
        await world.Client("node-b").AcquireAsync(Request("node-b"), cts.Token);
        foreach (var node in NodeNames(12).Skip(2))
        {
            Wait(world, node, D1);
        }

        world.Server.Requests.Reset();
        await world.Client("node-a").ReleaseAsync(Member("node-a"), cts.Token);
        await world.Client("node-b").ReleaseAsync(Member("node-b"), cts.Token);

        Assert.Equal(["node-c", "node-d"], world.Holders());
        Assert.Equal(4, world.Server.Requests["list nodes"]);
        Assert.Equal(4, world.Server.Requests.Listed("list nodes"));
    }

    [Fact]
    public async Task With_nobody_waiting_the_slot_is_freed_and_a_watching_node_hears_of_it()
    {
        await using var world = await StartAsync(3, output: output);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var holder = world.Client("node-a");
        await holder.AcquireAsync(Request("node-a"), cts.Token);
        var other = await RefusedAsync(world, "node-b", cts.Token);
        // node-b asked, but its node does not say WaitingForSlot (say it was paused since): it is not handed anything.
        await using var news = other.WatchAsync(Member("node-b"), cts.Token).GetAsyncEnumerator(cts.Token);
        var next = news.MoveNextAsync();
        world.Report("node-c", "Degraded", D0, D2);
        world.Server.Requests.Reset();

        await holder.ReleaseAsync(Member("node-a"), cts.Token);

        // One list, of the waiting nodes: with none, the Degraded ones decide nothing (there is no successor to halt).
        Assert.Equal(1, world.Server.Requests["list nodes"]);
        Assert.True(await next);
        Assert.Equal(new SlotChance("nodedaemon-workers-0", HandedToUs: false), news.Current);
        Assert.Equal("", world.Holder("nodedaemon-workers-0"));
        Assert.IsType<SlotAnswer.Acquired>(await other.AcquireAsync(Request("node-b"), cts.Token));
    }

    [Fact]
    public async Task A_waiting_node_hears_only_of_slots_handed_to_it_or_freed_not_of_every_hand_over()
    {
        await using var world = await StartAsync(5, maxUnavailable: "2", output: output);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await world.Client("node-a").AcquireAsync(Request("node-a"), cts.Token);
        await world.Client("node-b").AcquireAsync(Request("node-b"), cts.Token);
        var bystander = await RefusedAsync(world, "node-d", cts.Token);
        await using var news = bystander.WatchAsync(Member("node-d"), cts.Token).GetAsyncEnumerator(cts.Token);
        var next = news.MoveNextAsync();
        Wait(world, "node-c", D1);

        // node-a's slot goes to node-c (the only node saying it waits), then node-b's is left free.
        var (slotOfA, slotOfB) = world.Holder("nodedaemon-workers-0") == "node-a"
            ? ("nodedaemon-workers-0", "nodedaemon-workers-1") : ("nodedaemon-workers-1", "nodedaemon-workers-0");
        await world.Client("node-a").ReleaseAsync(Member("node-a"), cts.Token);
        world.Annotate("node-c", (world.Keys.Phase, "Draining"));
        await world.Client("node-b").ReleaseAsync(Member("node-b"), cts.Token);

        Assert.True(await next);
        Assert.Equal(new SlotChance(slotOfB, HandedToUs: false), news.Current);
        Assert.Equal("node-c", world.Holder(slotOfA));
        // The label the watches select on: node-d's watch is not even sent node-a's hand-over to node-c.
        Assert.Equal("node-c", (string?)world.Lease(slotOfA)!["metadata"]!["labels"]!["nodedaemon.io/slot-holder"]);
        Assert.Equal("slot_free", (string?)world.Lease(slotOfB)!["metadata"]!["labels"]!["nodedaemon.io/slot-holder"]);
    }

    [Fact]
    public async Task The_lease_keeps_each_finished_hold_through_a_hand_over_and_a_release_for_the_rollout_eta()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 5, 10, 0, 0, TimeSpan.Zero));
        await using var world = await StartAsync(3, output: output, time: time);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await world.Client("node-a").AcquireAsync(Request("node-a"), cts.Token);
        Wait(world, "node-b", D1);
        time.Advance(TimeSpan.FromMinutes(3));

        // Handed over: node-b's acquireTime replaces node-a's, so only the holds annotation still says how long node-a took.
        await world.Client("node-a").ReleaseAsync(Member("node-a"), cts.Token);
        Assert.Equal("node-b", world.Holder("nodedaemon-workers-0"));
        await world.Client("node-b").AcquireAsync(Request("node-b"), cts.Token);
        time.Advance(TimeSpan.FromMinutes(2));
        await world.Client("node-b").ReleaseAsync(Member("node-b"), cts.Token);

        Assert.Equal("", world.Holder("nodedaemon-workers-0"));
        var holds = SlotHold.Parse((string?)world.Lease("nodedaemon-workers-0")!["metadata"]!["annotations"]!["nodedaemon.io/slot-holds"]);
        Assert.Equal([("node-b", D1, TimeSpan.FromMinutes(2)), ("node-a", D1, TimeSpan.FromMinutes(3))], holds.Select(h => (h.Node, h.Digest, h.Duration)));
    }

    [Fact]
    public void A_lease_keeps_only_the_last_holds_and_skips_lines_it_cannot_read()
    {
        var at = new DateTimeOffset(2026, 12, 5, 10, 0, 0, TimeSpan.Zero);
        var text = "garbage line\nnode-x sha256:1 not-a-time 2026-12-05T10:00:00Z";
        for (var i = 0; i < SlotHold.Kept + 2; i++)
        {
            text = SlotHold.Prepend(text, new SlotHold($"node-{i}", D1, at.AddMinutes(i), at.AddMinutes(i + 1)));
        }

        Assert.Equal(["node-6", "node-5", "node-4", "node-3", "node-2"], SlotHold.Parse(text).Select(h => h.Node));
    }

    [Fact]
    public async Task No_hand_over_into_a_halted_pool()
    {
        await using var world = await StartAsync(4, output: output);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var holder = world.Client("node-a");
        await holder.AcquireAsync(Request("node-a"), cts.Token);
        Wait(world, "node-b", D1);
        world.Report("node-c", "Degraded", D0, D1);

        await holder.ReleaseAsync(Member("node-a"), cts.Token);

        Assert.Equal("", world.Holder("nodedaemon-workers-0"));
    }

    [Fact]
    public async Task A_node_handed_two_slots_takes_up_one_and_passes_the_other_on()
    {
        await using var world = await StartAsync(6, maxUnavailable: "2", output: output);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await world.Client("node-a").AcquireAsync(Request("node-a"), cts.Token);
        await world.Client("node-b").AcquireAsync(Request("node-b"), cts.Token);
        var waiter = await RefusedAsync(world, "node-c", cts.Token);
        Wait(world, "node-c", D1);
        // Both holders finish before node-c took up either slot: it still says WaitingForSlot, so both pick it.
        await world.Client("node-a").ReleaseAsync(Member("node-a"), cts.Token);
        await world.Client("node-b").ReleaseAsync(Member("node-b"), cts.Token);
        Assert.Equal(["node-c", "node-c"], new[] { "nodedaemon-workers-0", "nodedaemon-workers-1" }.Select(world.Holder));
        Wait(world, "node-d", D1);

        var answer = await waiter.AcquireAsync(Request("node-c"), cts.Token);

        Assert.IsType<SlotAnswer.Acquired>(answer);
        Assert.Equal(["node-c", "node-d"], world.Holders());
    }

    [Fact]
    public async Task A_slot_handed_to_a_node_that_never_takes_it_up_is_taken_over_after_the_timeout()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var world = await StartAsync(4, output: output, time: time);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await world.Client("node-a").AcquireAsync(Request("node-a"), cts.Token);
        Wait(world, "node-b", D1);
        await world.Client("node-a").ReleaseAsync(Member("node-a"), cts.Token);
        Assert.Equal("node-b", world.Holder("nodedaemon-workers-0"));
        var other = world.Client("node-c");

        time.Advance(TimeSpan.FromSeconds(119));
        Assert.IsType<SlotAnswer.Full>(await other.AcquireAsync(Request("node-c"), cts.Token));

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(new SlotAnswer.Acquired("nodedaemon-workers-0", "node-b"), await other.AcquireAsync(Request("node-c"), cts.Token));
        Assert.Contains(world.Log.Lines, l => l.Contains("not taken up within 120 s", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Taking_up_fails_safely_when_the_slot_was_taken_over_meanwhile()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var world = await StartAsync(4, output: output, time: time);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await world.Client("node-a").AcquireAsync(Request("node-a"), cts.Token);
        var late = await RefusedAsync(world, "node-b", cts.Token);
        Wait(world, "node-b", D1);
        await using var news = late.WatchAsync(Member("node-b"), cts.Token).GetAsyncEnumerator(cts.Token);
        var next = news.MoveNextAsync();
        await world.Client("node-a").ReleaseAsync(Member("node-a"), cts.Token);
        Assert.True(await next);
        time.Advance(TimeSpan.FromMinutes(3));
        Assert.IsType<SlotAnswer.Acquired>(await world.Client("node-c").AcquireAsync(Request("node-c"), cts.Token));

        var answer = await late.AcquireAsync(Request("node-b"), cts.Token);

        Assert.IsType<SlotAnswer.Full>(answer);
        Assert.Equal(["node-c"], world.Holders());
    }

    [Fact]
    public async Task A_slot_handed_to_a_node_that_took_one_up_already_is_handed_on_from_its_watch()
    {
        // Two holders finish together and both read node-c as waiting: node-c takes up the first hand-over before the
        // second arrives (its cordon, which would end the picks, is not written yet).
        await using var world = await StartAsync(5, maxUnavailable: "2", output: output);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var (a, b) = (world.Client("node-a"), world.Client("node-b"));
        await a.AcquireAsync(Request("node-a"), cts.Token);
        await b.AcquireAsync(Request("node-b"), cts.Token);
        var waiter = await RefusedAsync(world, "node-c", cts.Token);
        Wait(world, "node-c", D1);
        await using var news = waiter.WatchAsync(Member("node-c"), cts.Token).GetAsyncEnumerator(cts.Token);
        await a.ReleaseAsync(Member("node-a"), cts.Token);
        var (first, second) = world.Holder("nodedaemon-workers-0") == "node-c"
            ? ("nodedaemon-workers-0", "nodedaemon-workers-1") : ("nodedaemon-workers-1", "nodedaemon-workers-0");
        Assert.True(await news.MoveNextAsync());
        Assert.Equal(new SlotChance(first, HandedToUs: true), news.Current);
        Assert.IsType<SlotAnswer.Acquired>(await waiter.AcquireAsync(Request("node-c"), cts.Token));
        Wait(world, "node-d", D1);

        await b.ReleaseAsync(Member("node-b"), cts.Token);
        Assert.Equal("node-c", world.Holder(second));

        // The watch hands it on to the next waiting node (its event is not news for node-c).
        var next = news.MoveNextAsync().AsTask();
        await Poll.UntilAsync(() => world.Holder(second) == "node-d", $"{second} to pass to node-d", context: () => $"held by {world.Holder(second)}");

        Assert.Equal("node-c", (string?)world.Lease(second)!["metadata"]!["annotations"]![HandedOverBy]);
        Assert.Equal("node-c", world.Holder(first));
        // What node-c's watch tells next is the stray leaving its selection: not a slot for it.
        Assert.True(await next);
        Assert.Equal(new SlotChance(second, HandedToUs: false), news.Current);
    }

    /// <summary>A client for <paramref name="node"/> whose first request was refused (the pool is full).</summary>
    private static async Task<LeaseSlotClient> RefusedAsync(SlotWorld world, string node, CancellationToken cancellationToken)
    {
        var client = world.Client(node);
        Assert.IsType<SlotAnswer.Full>(await client.AcquireAsync(Request(node), cancellationToken));
        return client;
    }

    /// <summary>Reports <paramref name="node"/> waiting for a slot to update to <paramref name="digest"/>, as its daemon would.</summary>
    private static void Wait(SlotWorld world, string node, string digest) => world.Waiting(node, digest);
}
