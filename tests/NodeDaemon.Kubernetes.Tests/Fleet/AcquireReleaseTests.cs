using Microsoft.Extensions.Time.Testing;
using NodeDaemon.Core.Fleet;
using NodeDaemon.Kubernetes.Fleet;
using static NodeDaemon.Kubernetes.Tests.Fleet.SlotWorld;

namespace NodeDaemon.Kubernetes.Tests.Fleet;

public sealed class AcquireReleaseTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Acquire_creates_the_first_slot_lease_naming_holder_digest_and_times()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.Zero).AddTicks(1234567));
        await using var world = await StartAsync(3, output: output, time: time);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var answer = await world.Client().AcquireAsync(Request("node-a"), cts.Token);

        Assert.Equal(new SlotAnswer.Acquired("nodedaemon-workers-0"), answer);
        var lease = world.Lease("nodedaemon-workers-0")!;
        Assert.Equal("node-a", (string?)lease["spec"]!["holderIdentity"]);
        Assert.Equal(300, (int)lease["spec"]!["leaseDurationSeconds"]!);
        Assert.Equal("2026-03-04T05:06:07.123456Z", (string?)lease["spec"]!["acquireTime"]);
        Assert.Equal("2026-03-04T05:06:07.123456Z", (string?)lease["spec"]!["renewTime"]);
        Assert.Equal(D1, (string?)lease["metadata"]!["annotations"]![DigestKey]);
        Assert.Equal(1, world.Server.Requests["create leases"]);
    }

    [Fact]
    public async Task A_second_acquire_is_Held_without_a_write_and_a_new_digest_is_written_to_the_lease()
    {
        await using var world = await StartAsync(3, output: output);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var client = world.Client();
        await client.AcquireAsync(Request("node-a"), cts.Token);

        Assert.Equal(new SlotAnswer.Held("nodedaemon-workers-0"), await client.AcquireAsync(Request("node-a"), cts.Token));
        Assert.Equal(0, world.Server.Requests["update leases"]);

        Assert.Equal(new SlotAnswer.Held("nodedaemon-workers-0"), await client.AcquireAsync(Request("node-a", D2), cts.Token));
        Assert.Equal(D2, (string?)world.Lease("nodedaemon-workers-0")!["metadata"]!["annotations"]![DigestKey]);
        Assert.Equal(1, world.Server.Requests["update leases"]);
        Assert.Equal(1, world.Server.Requests["create leases"]);
    }

    [Fact]
    public async Task A_full_pool_answers_with_the_holders_and_writes_nothing()
    {
        await using var world = await StartAsync(4, maxUnavailable: "2", output: output);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await world.Client("node-b").AcquireAsync(Request("node-b"), cts.Token);
        await world.Client("node-a").AcquireAsync(Request("node-a"), cts.Token);
        var writes = world.Server.Requests["create leases"] + world.Server.Requests["update leases"];

        var answer = await world.Client("node-c").AcquireAsync(Request("node-c"), cts.Token);

        var full = Assert.IsType<SlotAnswer.Full>(answer);
        Assert.Equal(["node-a", "node-b"], full.Holders);
        Assert.Equal("waiting for a slot: all 2 slots are held", full.Message);
        Assert.Equal(writes, world.Server.Requests["create leases"] + world.Server.Requests["update leases"]);
    }

    [Fact]
    public async Task A_recent_slot_count_answers_full_without_reading_the_pool_and_a_holder_silent_for_the_lease_duration_makes_it_read()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var world = await StartAsync(4, maxUnavailable: "1", time: time, output: output);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await world.Client("node-b").AcquireAsync(Request("node-b"), cts.Token);
        var c = world.Client("node-c", poolRecheck: TimeSpan.FromMinutes(1));
        Assert.IsType<SlotAnswer.Full>(await c.AcquireAsync(Request("node-c"), cts.Token));
        var poolLists = world.Server.Requests["list nodes"];

        Assert.IsType<SlotAnswer.Full>(await c.AcquireAsync(Request("node-c"), cts.Token));
        Assert.Equal(poolLists, world.Server.Requests["list nodes"]);

        // The holder's node goes away: only a read of the pool can show it, once the count is a minute old and the
        // holder has not written its Lease for the lease duration.
        world.Server.Store.Remove(NodeDaemon.Sim.KubeApi.Store.ResourceTypes.Nodes, null, "node-b");
        Assert.IsType<SlotAnswer.Full>(await c.AcquireAsync(Request("node-c"), cts.Token));
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.IsType<SlotAnswer.Full>(await c.AcquireAsync(Request("node-c"), cts.Token));
        Assert.Equal(poolLists, world.Server.Requests["list nodes"]);
        time.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(new SlotAnswer.Acquired("nodedaemon-workers-0", "node-b"), await c.AcquireAsync(Request("node-c"), cts.Token));
        // The pool, and its Degraded nodes after the takeover.
        Assert.Equal(poolLists + 2, world.Server.Requests["list nodes"]);
    }

    [Fact]
    public async Task The_count_a_holder_wrote_on_its_fresh_Lease_answers_full_for_a_node_that_never_read_the_pool()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var world = await StartAsync(4, maxUnavailable: "1", time: time, output: output);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await world.Client("node-b").AcquireAsync(Request("node-b"), cts.Token);
        Assert.Equal("1", (string?)world.Lease("nodedaemon-workers-0")!["metadata"]!["annotations"]!["nodedaemon.io/pool-slots"]);
        var poolLists = world.Server.Requests["list nodes"];

        Assert.IsType<SlotAnswer.Full>(await world.Client("node-c", poolRecheck: TimeSpan.FromMinutes(1)).AcquireAsync(Request("node-c"), cts.Token));
        Assert.Equal(poolLists, world.Server.Requests["list nodes"]);

        // A minute later the count is old but the holder wrote its Lease within the lease duration: still no list.
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.IsType<SlotAnswer.Full>(await world.Client("node-d", poolRecheck: TimeSpan.FromMinutes(1)).AcquireAsync(Request("node-d"), cts.Token));
        Assert.Equal(poolLists, world.Server.Requests["list nodes"]);

        // Five minutes after the holder's last write it may be one to take over, which only the pool's nodes show.
        time.Advance(TimeSpan.FromMinutes(4));
        Assert.IsType<SlotAnswer.Full>(await world.Client("node-d", poolRecheck: TimeSpan.FromMinutes(1)).AcquireAsync(Request("node-d"), cts.Token));
        Assert.Equal(poolLists + 1, world.Server.Requests["list nodes"]);
    }

    [Fact]
    public async Task Release_frees_the_slot_for_the_next_node_which_takes_it_on_its_resource_version()
    {
        await using var world = await StartAsync(3, output: output);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var a = world.Client("node-a");
        var b = world.Client("node-b");
        await a.AcquireAsync(Request("node-a"), cts.Token);
        Assert.IsType<SlotAnswer.Full>(await b.AcquireAsync(Request("node-b"), cts.Token));

        await a.ReleaseAsync(Member("node-a"), cts.Token);

        var released = world.Lease("nodedaemon-workers-0")!;
        Assert.Null(released["spec"]!["holderIdentity"]);
        Assert.Null(released["metadata"]!["annotations"]?[DigestKey]);
        Assert.Null(await a.HoldsAsync(Member("node-a"), cts.Token));
        Assert.Equal(new SlotAnswer.Acquired("nodedaemon-workers-0"), await b.AcquireAsync(Request("node-b"), cts.Token));
        Assert.Equal("node-b", world.Holder("nodedaemon-workers-0"));
        Assert.Equal(1, (int)world.Lease("nodedaemon-workers-0")!["spec"]!["leaseTransitions"]!);
        Assert.Equal(new HeldSlot("nodedaemon-workers-0", Core.Images.Digest.Parse(D1)), await b.HoldsAsync(Member("node-b"), cts.Token));
    }

    [Fact]
    public async Task Releasing_or_renewing_a_slot_not_held_writes_nothing()
    {
        await using var world = await StartAsync(3, output: output);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await world.Client("node-b").AcquireAsync(Request("node-b"), cts.Token);
        var a = world.Client("node-a");

        await a.ReleaseAsync(Member("node-a"), cts.Token);
        Assert.False(await a.RenewAsync(Member("node-a"), cts.Token));

        Assert.Equal("node-b", world.Holder("nodedaemon-workers-0"));
        Assert.Equal(0, world.Server.Requests["update leases"]);
    }

    [Fact]
    public async Task Renew_moves_renewTime_only()
    {
        var start = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var time = new FakeTimeProvider(start);
        await using var world = await StartAsync(2, output: output, time: time);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var client = world.Client();
        await client.AcquireAsync(Request("node-a"), cts.Token);
        time.Advance(TimeSpan.FromSeconds(42.5));

        Assert.True(await client.RenewAsync(Member("node-a"), cts.Token));

        var spec = world.Lease("nodedaemon-workers-0")!["spec"]!;
        Assert.Equal("2026-01-02T03:04:47.500000Z", (string?)spec["renewTime"]);
        Assert.Equal("2026-01-02T03:04:05.000000Z", (string?)spec["acquireTime"]);
        Assert.Equal("node-a", (string?)spec["holderIdentity"]);
        Assert.Equal(0, (int)spec["leaseTransitions"]!);
    }

    [Fact]
    public async Task The_slot_count_follows_the_pool_size_read_from_the_node_list()
    {
        // 25% of 4 nodes is one slot; of 8 nodes, two.
        await using var world = await StartAsync(4, maxUnavailable: "25%", output: output);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await world.Client("node-a").AcquireAsync(Request("node-a"), cts.Token);
        var b = world.Client("node-b");
        Assert.IsType<SlotAnswer.Full>(await b.AcquireAsync(Request("node-b"), cts.Token));

        foreach (var name in new[] { "node-e", "node-f", "node-g", "node-h" })
        {
            world.Server.Store.Create(Sim.KubeApi.Store.ResourceTypes.Nodes, NodeObject(name));
        }

        // Nodes of another pool do not count.
        world.Server.Store.Create(Sim.KubeApi.Store.ResourceTypes.Nodes, NodeObject("node-x", pool: "infra"));
        Assert.Equal(new SlotAnswer.Acquired("nodedaemon-workers-1"), await b.AcquireAsync(Request("node-b"), cts.Token));
        Assert.IsType<SlotAnswer.Full>(await world.Client("node-c").AcquireAsync(Request("node-c"), cts.Token));
    }

    [Fact]
    public async Task A_held_slot_above_a_shrunken_slot_count_still_counts()
    {
        await using var world = await StartAsync(4, maxUnavailable: "50%", output: output);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var a = world.Client("node-a");
        await a.AcquireAsync(Request("node-a"), cts.Token);
        await world.Client("node-b").AcquireAsync(Request("node-b"), cts.Token);
        // Two nodes leave the pool: one slot now, and node-b still holds slot 1.
        world.Server.Store.Remove(Sim.KubeApi.Store.ResourceTypes.Nodes, null, "node-d");
        world.Server.Store.Remove(Sim.KubeApi.Store.ResourceTypes.Nodes, null, "node-c");
        await a.ReleaseAsync(Member("node-a"), cts.Token);

        var answer = await world.Client("node-e").AcquireAsync(Request("node-e"), cts.Token);

        Assert.Equal(["node-b"], Assert.IsType<SlotAnswer.Full>(answer).Holders);
    }

    [Fact]
    public async Task An_empty_pool_value_as_with_the_default_worker_label_gets_a_hashed_lease_name()
    {
        await using var world = await StartAsync(2, poolLabel: "node-role.kubernetes.io/worker", pool: "", output: output);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var answer = await world.Client().AcquireAsync(Request("node-a", pool: ""), cts.Token);

        Assert.Equal(new SlotAnswer.Acquired("nodedaemon-e3b0c442-0"), answer);
        Assert.IsType<SlotAnswer.Full>(await world.Client("node-b").AcquireAsync(Request("node-b", pool: ""), cts.Token));
        Assert.NotNull(await world.Client().HoldsAsync(Member("node-a", ""), cts.Token));
    }

    [Fact]
    public async Task Leases_of_other_pools_and_other_names_are_ignored()
    {
        var old = DateTimeOffset.UnixEpoch;
        await using var world = await StartAsync(2, output: output, extra:
        [
            LeaseObject("nodedaemon-infra-0", "node-x", D1, old),
            LeaseObject("nodedaemon-workers-01", "node-y", D1, old),
            LeaseObject("nodedaemon-workers-x-0", "node-z", D1, old),
            LeaseObject("kube-scheduler", "node-b", null, old),
        ]);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        Assert.Equal(new SlotAnswer.Acquired("nodedaemon-workers-0"), await world.Client().AcquireAsync(Request("node-a"), cts.Token));
        Assert.Null(await world.Client("node-b").HoldsAsync(Member("node-b"), cts.Token));
    }

    [Fact]
    public async Task A_malformed_digest_is_refused_before_any_request()
    {
        await using var world = await StartAsync(1, output: output);

        await Assert.ThrowsAsync<ArgumentException>(() => world.Client().AcquireAsync(Request("node-a", "latest"), default));
        Assert.DoesNotContain(world.Server.Requests.Snapshot(), r => r.Key.Contains("leases", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_missing_lease_namespace_is_a_ClusterException()
    {
        await using var world = await StartAsync(1, output: output);
        var client = LeaseSlotClient.Create(world.Server.KubeconfigPath, new LeaseSlotClientOptions
        {
            Fleet = world.Fleet with { LeaseNamespace = "nowhere" },
            Transport = Transport(),
            NodeKeys = world.Keys,
        }, TimeProvider.System, world.Log);
        using var _ = client;

        var e = await Assert.ThrowsAsync<Core.Cluster.ClusterException>(() => client.AcquireAsync(Request("node-a"), default));
        Assert.Equal(404, e.StatusCode);
    }
}
