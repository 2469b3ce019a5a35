using NodeDaemon.Core.Fleet;
using NodeDaemon.Core.Options;
using NodeDaemon.Sim.KubeApi.Faults;
using NodeDaemon.Sim.KubeApi.Store;
using static NodeDaemon.Kubernetes.Tests.Fleet.SlotWorld;

namespace NodeDaemon.Kubernetes.Tests.Fleet;

public sealed class TakeoverTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset s_longAgo = DateTimeOffset.UtcNow.AddDays(-3);

    [Fact]
    public async Task A_slot_whose_holder_node_no_longer_exists_is_taken_over()
    {
        await using var world = await StartAsync(3, extra: [LeaseObject("nodedaemon-workers-0", "node-gone", D1, DateTimeOffset.UtcNow)], output: output);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var answer = await world.Client().AcquireAsync(Request("node-a"), cts.Token);

        Assert.Equal(new SlotAnswer.Acquired("nodedaemon-workers-0", "node-gone"), answer);
        var lease = world.Lease("nodedaemon-workers-0")!;
        Assert.Equal("node-a", (string?)lease["spec"]!["holderIdentity"]);
        Assert.Equal(1, (int)lease["spec"]!["leaseTransitions"]!);
        Assert.Equal(1, world.Server.Requests["get nodes"]);
        Assert.Contains(world.Log.Lines, l => l.Contains("taken over from node-gone", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_slot_whose_holder_reports_Done_on_the_lease_digest_is_taken_over()
    {
        await using var world = await StartAsync(3, extra: [LeaseObject("nodedaemon-workers-0", "node-b", D1, DateTimeOffset.UtcNow)], output: output);
        world.Report("node-b", "Done", D1, D1);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var answer = await world.Client().AcquireAsync(Request("node-a"), cts.Token);

        Assert.Equal(new SlotAnswer.Acquired("nodedaemon-workers-0", "node-b"), answer);
        Assert.Equal("node-a", world.Holder("nodedaemon-workers-0"));
        // Its node was in the pool list: no extra read.
        Assert.Equal(0, world.Server.Requests["get nodes"]);
        Assert.Null(await world.Client("node-b").HoldsAsync(Member("node-b"), cts.Token));
    }

    [Fact]
    public async Task Done_in_the_machine_config_operator_protocol_counts_too()
    {
        await using var world = await StartAsync(3, protocol: AnnotationProtocol.MachineConfigOperator,
            extra: [LeaseObject("nodedaemon-workers-0", "node-b", D1, DateTimeOffset.UtcNow)], output: output);
        world.Report("node-b", "Done", D1, D1);
        Assert.Equal("machineconfiguration.openshift.io/state", world.Keys.State);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        Assert.Equal(new SlotAnswer.Acquired("nodedaemon-workers-0", "node-b"), await world.Client().AcquireAsync(Request("node-a"), cts.Token));
    }

    [Theory]
    [InlineData("Working", D1, D1)]   // rebooting into the image, say
    [InlineData("Degraded", D0, D1)]
    [InlineData("Done", D0, D1)]      // Done on the previous image: it has not started, or its report is stale
    [InlineData("Done", D1, D2)]      // finished the slot's image but already wants another: it renews with the new digest
    [InlineData("", null, null)]      // never reported
    public async Task A_slot_whose_holder_is_alive_and_not_done_with_its_digest_is_never_taken_even_long_expired(string state, string? current, string? desired)
    {
        // No halt here: a Degraded holder on D1 must not be taken over whatever the threshold.
        await using var world = await StartAsync(3, haltAfterFailures: 5,
            extra: [LeaseObject("nodedaemon-workers-0", "node-b", D1, s_longAgo, durationSeconds: 15)], output: output);
        world.Report("node-b", state, current, desired);
        var before = world.Lease("nodedaemon-workers-0")!.ToJsonString();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var answer = await world.Client().AcquireAsync(Request("node-a"), cts.Token);

        Assert.Equal(["node-b"], Assert.IsType<SlotAnswer.Full>(answer).Holders);
        Assert.Equal(before, world.Lease("nodedaemon-workers-0")!.ToJsonString());
        Assert.Equal(0, world.Server.Requests["update leases"]);
    }

    [Fact]
    public async Task A_lease_without_digest_is_not_taken_from_a_Done_holder()
    {
        await using var world = await StartAsync(3, extra: [LeaseObject("nodedaemon-workers-0", "node-b", null, s_longAgo)], output: output);
        world.Report("node-b", "Done", D1, D1);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        Assert.IsType<SlotAnswer.Full>(await world.Client().AcquireAsync(Request("node-a"), cts.Token));
    }

    [Fact]
    public async Task A_holder_relabelled_out_of_the_pool_is_read_by_name_and_keeps_its_slot()
    {
        await using var world = await StartAsync(3, extra: [LeaseObject("nodedaemon-workers-0", "node-b", D1, s_longAgo)], output: output);
        world.Server.Store.Update(ResourceTypes.Nodes, null, "node-b", n =>
        {
            n["metadata"]!["labels"]![PoolLabel] = "infra";
            return n;
        });
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        Assert.IsType<SlotAnswer.Full>(await world.Client().AcquireAsync(Request("node-a"), cts.Token));
        Assert.Equal(1, world.Server.Requests["get nodes"]);
    }

    [Fact]
    public async Task A_lease_an_admin_deleted_is_created_again_by_the_next_node_and_its_old_holder_holds_nothing()
    {
        await using var world = await StartAsync(3, output: output);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var b = world.Client("node-b");
        await b.AcquireAsync(Request("node-b"), cts.Token);
        Assert.IsType<SlotAnswer.Full>(await world.Client("node-a").AcquireAsync(Request("node-a"), cts.Token));

        world.Server.Store.Remove(ResourceTypes.Leases, Namespace, "nodedaemon-workers-0");

        Assert.Equal(new SlotAnswer.Acquired("nodedaemon-workers-0"), await world.Client("node-a").AcquireAsync(Request("node-a"), cts.Token));
        Assert.Null(await b.HoldsAsync(Member("node-b"), cts.Token));
        Assert.False(await b.RenewAsync(Member("node-b"), cts.Token));
        await b.ReleaseAsync(Member("node-b"), cts.Token);
        Assert.Equal("node-a", world.Holder("nodedaemon-workers-0"));
    }

    [Fact]
    public async Task A_holder_renewing_for_a_new_digest_while_the_pool_is_read_is_not_taken_over()
    {
        // node-b finished D1 (Done, booted D1) and still holds the slot; it moves on to D2 and renews its Lease with the
        // new digest while node-a reads the pool, so node-a's read of node-b says "Done on the Lease's image".
        await using var world = await FinishedHolderAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var a = world.Client("node-a", attempts: 200);

        var acquiring = await RaceTests.PausedAtPoolListAsync(world, () => a.AcquireAsync(Request("node-a", D2), cts.Token), cts.Token);
        Assert.Equal(new SlotAnswer.Held("nodedaemon-workers-0"), await world.Client("node-b").AcquireAsync(Request("node-b", D2), cts.Token));
        world.Server.Faults.Set(new FaultSettings());

        Assert.Equal(["node-b"], Assert.IsType<SlotAnswer.Full>(await acquiring).Holders);
        Assert.Equal(D2, (string?)world.Lease("nodedaemon-workers-0")!["metadata"]!["annotations"]![DigestKey]);
        // The Leases read after the pool show the renewal: no takeover is tried (the one update is node-b's).
        Assert.Equal(1, world.Server.Requests["update leases"]);
    }

    [Fact]
    public async Task A_holder_renewing_for_a_new_digest_beats_a_takeover_based_on_an_older_read()
    {
        // As above, but node-b's renewal lands after node-a's last read, between it and node-a's takeover write.
        await using var world = await FinishedHolderAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var a = world.Client("node-a", attempts: 200);

        var acquiring = await RaceTests.PausedAtLeaseWriteAsync(world, () => a.AcquireAsync(Request("node-a", D2), cts.Token), cts.Token);
        // Written straight to the store: node-b's own write would meet the fault that holds node-a.
        world.Server.Store.Update(ResourceTypes.Leases, Namespace, "nodedaemon-workers-0", l =>
        {
            l["metadata"]!["annotations"]![DigestKey] = D2;
            return l;
        });
        world.Server.Faults.Set(new FaultSettings());

        Assert.Equal(["node-b"], Assert.IsType<SlotAnswer.Full>(await acquiring).Holders);
        Assert.Equal("node-b", world.Holder("nodedaemon-workers-0"));
        // The takeover reached the store once, was refused with 409, and was not tried again after a fresh read.
        Assert.Equal(1, RaceTests.Reached(world, "update leases"));
        Assert.Equal(1, world.Server.Requests.Errors().GetValueOrDefault("update leases 409"));
    }

    /// <summary>A pool whose node-b finished D1 (Done, booted D1) and still holds slot 0, naming D1.</summary>
    private async Task<SlotWorld> FinishedHolderAsync()
    {
        var world = await StartAsync(3, extra: [LeaseObject("nodedaemon-workers-0", "node-b", D1, DateTimeOffset.UtcNow)], output: output);
        world.Report("node-b", "Done", D1, D1);
        return world;
    }
}
