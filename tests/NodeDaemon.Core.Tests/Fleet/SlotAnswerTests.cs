using NodeDaemon.Core.Fleet;

namespace NodeDaemon.Core.Tests.Fleet;

public sealed class SlotAnswerTests
{
    [Fact]
    public void Messages_name_the_slot_the_holders_or_the_failed_nodes()
    {
        Assert.Equal("took slot nodedaemon-workers-0", new SlotAnswer.Acquired("nodedaemon-workers-0").Message);
        Assert.Equal("took slot nodedaemon-workers-0 over from b", new SlotAnswer.Acquired("nodedaemon-workers-0", "b").Message);
        Assert.Equal("holding slot nodedaemon-workers-1", new SlotAnswer.Held("nodedaemon-workers-1").Message);
        Assert.Equal("waiting for a slot: all 2 slots are held", new SlotAnswer.Full(["a", "b"]).Message);
        Assert.Equal(new SlotAnswer.Full(["c", "d"]).Message, new SlotAnswer.Full(["a", "b"]).Message);
        Assert.Equal("waiting for a slot", new SlotAnswer.Full([]).Message);
        Assert.Equal("pool halted: 1 node Degraded on sha256:ab: c", new SlotAnswer.Halted(["c"], "sha256:ab").Message);
        Assert.Equal("pool halted: 2 nodes Degraded on sha256:ab: c, d", new SlotAnswer.Halted(["c", "d"], "sha256:ab").Message);
    }
}
