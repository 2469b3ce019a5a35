using NodeDaemon.Kubernetes.Fleet;
using NodeDaemon.Core.Fleet;
using NodeDaemon.Sim.KubeApi.Faults;
using NodeDaemon.Sim.KubeApi.Store;
using static NodeDaemon.Kubernetes.Tests.Fleet.SlotWorld;

namespace NodeDaemon.Kubernetes.Tests.Fleet;

/// <summary>One lost race at a time, made deterministic: the client is held between its last read and its write.</summary>
public sealed class RaceTests(ITestOutputHelper output)
{
    /// <summary>
    /// Starts <paramref name="acquire"/> with every node list failing (500), and returns once it has read the Leases and
    /// is retrying its node list. Clear the faults to let it go on.
    /// </summary>
    internal static Task<Task<SlotAnswer>> PausedAtPoolListAsync(SlotWorld world, Func<Task<SlotAnswer>> acquire, CancellationToken cancellationToken) =>
        PausedAtAsync(world, acquire, [new ErrorFault { Status = 500, Rate = 1, Resource = "nodes", Verb = "list" }], cancellationToken);

    /// <summary>
    /// Starts <paramref name="acquire"/> with every Lease create and update failing (500), and returns once it has read
    /// everything and is retrying its write: whatever the test writes now (straight to the store) happens between the
    /// client's last read and its write. Clear the faults to let it go on.
    /// </summary>
    internal static Task<Task<SlotAnswer>> PausedAtLeaseWriteAsync(SlotWorld world, Func<Task<SlotAnswer>> acquire, CancellationToken cancellationToken) =>
        PausedAtAsync(world, acquire,
            [new ErrorFault { Status = 500, Rate = 1, Resource = "leases", Verb = "create" }, new ErrorFault { Status = 500, Rate = 1, Resource = "leases", Verb = "update" }],
            cancellationToken);

    /// <summary>The requests <paramref name="world"/> answered with a success or a 409, by <c>"verb resource"</c>: those that reached the store.</summary>
    internal static int Reached(SlotWorld world, string kind) => world.Server.Requests[kind] - world.Server.Requests.Errors().GetValueOrDefault(kind + " 500");

    private static async Task<Task<SlotAnswer>> PausedAtAsync(SlotWorld world, Func<Task<SlotAnswer>> acquire, IReadOnlyList<ErrorFault> faults, CancellationToken cancellationToken)
    {
        world.Server.Faults.Set(new FaultSettings { Errors = faults });
        var failed = Failed(world);
        var task = acquire();
        while (Failed(world) == failed)
        {
            if (task.IsCompleted)
            {
                await task;
                throw new InvalidOperationException("the acquire ended before it reached the failing request");
            }

            await Task.Delay(5, cancellationToken);
        }

        return task;
    }

    private static int Failed(SlotWorld world) => world.Server.Requests.Errors().Where(e => e.Key.EndsWith(" 500", StringComparison.Ordinal)).Sum(e => e.Value);

    [Fact]
    public async Task A_request_that_read_the_pool_reads_the_Leases_again_before_it_writes()
    {
        await using var world = await StartAsync(4, maxUnavailable: "1", output: output);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var a = world.Client("node-a", attempts: 200);

        // While node-a reads the pool (a pool annotated at once: every node finishes staging together), node-b takes the slot.
        var acquiring = await PausedAtPoolListAsync(world, () => a.AcquireAsync(Request("node-a"), cts.Token), cts.Token);
        world.Server.Store.Create(ResourceTypes.Leases, LeaseObject("nodedaemon-workers-0", "node-b", D1, DateTimeOffset.UtcNow));
        world.Server.Faults.Set(new FaultSettings());

        Assert.Equal(["node-b"], Assert.IsType<SlotAnswer.Full>(await acquiring).Holders);
        // No write on the list from before the pool read, which showed the slot free.
        Assert.Equal(0, world.Server.Requests["create leases"]);
        Assert.Equal(2, world.Server.Requests["list leases"]);
    }

    [Fact]
    public async Task A_request_that_read_the_Degraded_nodes_reads_the_Leases_again_before_it_writes()
    {
        await using var world = await StartAsync(4, maxUnavailable: "1", output: output);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var a = world.Client("node-a", attempts: 200, poolRecheck: TimeSpan.FromMinutes(1));

        // A free slot and a fixed count: node-a reads only the Degraded nodes, and node-b takes the slot meanwhile
        // (a pool annotated at once: the slow read is where the others' creates land).
        var acquiring = await PausedAtPoolListAsync(world, () => a.AcquireAsync(Request("node-a"), cts.Token), cts.Token);
        world.Server.Store.Create(ResourceTypes.Leases, LeaseObject("nodedaemon-workers-0", "node-b", D1, DateTimeOffset.UtcNow));
        world.Server.Faults.Set(new FaultSettings());

        Assert.Equal(["node-b"], Assert.IsType<SlotAnswer.Full>(await acquiring).Holders);
        // No create on the list from before the read, which showed the slot free: no 409 to lose.
        Assert.Equal(0, world.Server.Requests["create leases"]);
        Assert.Equal(2, world.Server.Requests["list leases"]);
    }

    [Fact]
    public async Task A_create_that_loses_with_AlreadyExists_reads_again_and_takes_the_next_slot()
    {
        await using var world = await StartAsync(4, maxUnavailable: "2", output: output);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var a = world.Client("node-a", attempts: 200);

        var acquiring = await PausedAtLeaseWriteAsync(world, () => a.AcquireAsync(Request("node-a"), cts.Token), cts.Token);
        // The slot node-a is about to create (it picks by its name and the list's version) is created first by node-b.
        var listed = world.Server.Store.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var (first, other) = SlotRules.Pick([new("nodedaemon-workers-0", null, null), new("nodedaemon-workers-1", null, null)], "node-a", listed).Name == "nodedaemon-workers-0"
            ? ("nodedaemon-workers-0", "nodedaemon-workers-1") : ("nodedaemon-workers-1", "nodedaemon-workers-0");
        world.Server.Store.Create(ResourceTypes.Leases, LeaseObject(first, "node-b", D1, DateTimeOffset.UtcNow));
        world.Server.Faults.Set(new FaultSettings());

        Assert.Equal(new SlotAnswer.Acquired(other), await acquiring);
        Assert.Equal("node-b", world.Holder(first));
        Assert.Equal(2, Reached(world, "create leases"));
        Assert.Contains(world.Log.Lines, l => l.Contains($"slot {first} changed before the write of node-a", StringComparison.Ordinal));
        // The pool was read once (its answers before the faults were cleared were errors): a lost race reads only the Leases
        // again. The second list is the Degraded nodes', after the grant (HaltTests).
        Assert.Equal(2, Reached(world, "list nodes"));
    }

    [Fact]
    public async Task A_put_on_a_free_lease_that_loses_with_Conflict_reads_again_and_waits_when_full()
    {
        await using var world = await StartAsync(3, extra: [LeaseObject("nodedaemon-workers-0", "", null, DateTimeOffset.UtcNow)], output: output);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var a = world.Client("node-a", attempts: 200);

        var acquiring = await PausedAtLeaseWriteAsync(world, () => a.AcquireAsync(Request("node-a"), cts.Token), cts.Token);
        // Another node takes it first (written straight to the store: its own write would meet the fault that holds node-a).
        world.Server.Store.Update(ResourceTypes.Leases, Namespace, "nodedaemon-workers-0", l =>
        {
            l["spec"]!["holderIdentity"] = "node-b";
            return l;
        });
        world.Server.Faults.Set(new FaultSettings());

        Assert.Equal(["node-b"], Assert.IsType<SlotAnswer.Full>(await acquiring).Holders);
        Assert.Equal("node-b", world.Holder("nodedaemon-workers-0"));
        Assert.Equal(1, Reached(world, "update leases"));
    }

    [Fact]
    public async Task A_takeover_that_loses_to_another_takeover_does_not_take_a_second_slot()
    {
        await using var world = await StartAsync(3, extra: [LeaseObject("nodedaemon-workers-0", "node-gone", D1, DateTimeOffset.UtcNow)], output: output);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var a = world.Client("node-a", attempts: 200);

        var acquiring = await PausedAtLeaseWriteAsync(world, () => a.AcquireAsync(Request("node-a"), cts.Token), cts.Token);
        world.Server.Store.Update(ResourceTypes.Leases, Namespace, "nodedaemon-workers-0", l =>
        {
            l["spec"]!["holderIdentity"] = "node-c";
            return l;
        });
        world.Server.Faults.Set(new FaultSettings());

        Assert.Equal(["node-c"], Assert.IsType<SlotAnswer.Full>(await acquiring).Holders);
        Assert.Equal(["node-c"], world.Holders());
    }

    [Fact]
    public async Task Release_after_a_takeover_leaves_the_new_holder_alone()
    {
        await using var world = await StartAsync(3, output: output);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await world.Client("node-b").AcquireAsync(Request("node-b"), cts.Token);
        world.Report("node-b", "Done", D1, D1);
        Assert.IsType<SlotAnswer.Acquired>(await world.Client("node-a").AcquireAsync(Request("node-a"), cts.Token));

        await world.Client("node-b").ReleaseAsync(Member("node-b"), cts.Token);

        Assert.Equal("node-a", world.Holder("nodedaemon-workers-0"));
    }
}
