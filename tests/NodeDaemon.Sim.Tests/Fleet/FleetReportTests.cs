using NodeDaemon.Sim.Fleet;
using NodeDaemon.Sim.KubeApi.Store;
using NodeDaemon.Sim.Scenarios;

namespace NodeDaemon.Sim.Tests.Fleet;

/// <summary>What the printed fleet result says about the nodes, from a pool run's tracks.</summary>
public sealed class FleetReportTests
{
    [Fact]
    public void Each_Degraded_node_comes_with_its_message_as_it_reported_it()
    {
        var settings = new FleetSettings { Nodes = 3, MaxUnavailable = 1 };
        var nodes = new Dictionary<string, NodeTrack>(StringComparer.Ordinal)
        {
            ["node-a"] = new() { State = "Done", Phase = "Idle", Message = "up to date", DoneAtMs = 2_000 },
            ["node-b"] = new() { State = "Degraded", Phase = "Idle", Message = "the staged deployment was lost at reboot 3 times; giving up", DegradedAtMs = 3_000 },
            ["node-c"] = new() { State = "Degraded", Phase = "Verifying" },
        };
        var observer = new FleetObserver(new ObjectStore(TimeProvider.System), settings.MaxUnavailable, settings.HaltAfter, "nodedaemon.io/", new RunClock());
        var empty = new Dictionary<string, int>();
        var run = new FleetRun(settings, observer, nodes, [], empty, empty, empty, EndMs: 3_000, Converged: false, Halted: true);

        var result = FleetReport.Build(run, loneNodeMs: 1_000, TimeSpan.FromSeconds(4));

        Assert.Equal(["node-b", "node-c"], result.DegradedNodes.Order(StringComparer.Ordinal));
        Assert.Equal(new Dictionary<string, string>
        {
            ["node-b"] = "the staged deployment was lost at reboot 3 times; giving up",
            ["node-c"] = "",
        }, result.DegradedMessages);
    }
}
