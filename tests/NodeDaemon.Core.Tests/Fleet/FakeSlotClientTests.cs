using NodeDaemon.Core.Fleet;

namespace NodeDaemon.Core.Tests.Fleet;

public sealed class FakeSlotClientTests
{
    private const string D1 = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
    private const string D2 = "sha256:2222222222222222222222222222222222222222222222222222222222222222";

    private static SlotMember Node(string name, string pool = "workers") => new(name, pool);

    [Fact]
    public async Task Acquire_held_full_release_in_turn()
    {
        var slots = new FakeSlotClient(slots: 2);

        Assert.IsType<SlotAnswer.Acquired>(await slots.AcquireAsync(new(Node("a"), D1), default));
        Assert.IsType<SlotAnswer.Acquired>(await slots.AcquireAsync(new(Node("b"), D1), default));
        Assert.IsType<SlotAnswer.Held>(await slots.AcquireAsync(new(Node("a"), D2), default));
        Assert.Equal(D2, slots.DigestOf(Node("a")));
        var full = Assert.IsType<SlotAnswer.Full>(await slots.AcquireAsync(new(Node("c"), D1), default));
        Assert.Equal(["a", "b"], full.Holders);
        // Another pool has slots of its own.
        Assert.IsType<SlotAnswer.Acquired>(await slots.AcquireAsync(new(Node("x", "infra"), D1), default));

        await slots.ReleaseAsync(Node("a"), default);
        await slots.ReleaseAsync(Node("a"), default);

        Assert.Null(await slots.HoldsAsync(Node("a"), default));
        Assert.False(await slots.RenewAsync(Node("a"), default));
        Assert.IsType<SlotAnswer.Acquired>(await slots.AcquireAsync(new(Node("c"), D1), default));
        Assert.Equal(["c", "b"], slots.Holders("workers"));
    }

    [Fact]
    public async Task Degraded_nodes_on_the_same_digest_halt_the_pool()
    {
        var slots = new FakeSlotClient(slots: 3, haltAfterFailures: 2);
        slots.SetDegraded(Node("a"), D1);
        slots.SetDegraded(Node("b", "infra"), D1);
        slots.SetDegraded(Node("c"), D2);

        Assert.IsType<SlotAnswer.Acquired>(await slots.AcquireAsync(new(Node("d"), D1), default));
        slots.SetDegraded(Node("e"), D1);
        var halted = Assert.IsType<SlotAnswer.Halted>(await slots.AcquireAsync(new(Node("f"), D1), default));

        Assert.Equal(["a", "e"], halted.DegradedNodes);
        Assert.IsType<SlotAnswer.Held>(await slots.AcquireAsync(new(Node("d"), D1), default));
    }
}
