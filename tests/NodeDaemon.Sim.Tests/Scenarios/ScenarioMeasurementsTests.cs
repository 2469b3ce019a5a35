using NodeDaemon.Sim.Scenarios;

namespace NodeDaemon.Sim.Tests.Scenarios;

/// <summary>The run's numbers: reaction, pulling and cordoned time, and the pull-while-cordoned check.</summary>
public sealed class ScenarioMeasurementsTests
{
    private static TimelineEntry At(long ms, bool cordonedByUs, bool unschedulable = true) =>
        new(ms, "Draining", "Working", unschedulable, cordonedByUs);

    [Fact]
    public void A_pull_before_the_cordon_is_not_inside_it()
    {
        var m = ScenarioMeasurements.From(new RunState { DesiredSetAtMs = 100 },
            [At(0, false, false), At(500, true), At(900, false, false)],
            [new HostTransaction("Rebase", 130, 400, true, ""), new HostTransaction("FinalizeDeployment", 800, 810, true, "")]);

        Assert.Equal(30, m.ReactionMs);
        Assert.Equal(270, m.PullingMs);
        Assert.Equal(400, m.CordonedMs);
        Assert.False(m.PullingWhileCordoned);
    }

    [Fact]
    public void A_pull_overlapping_our_cordon_is_caught()
    {
        var m = ScenarioMeasurements.From(new RunState(), [At(0, true), At(300, false, false)], [new HostTransaction("Rebase", 200, 500, true, "")]);

        Assert.True(m.PullingWhileCordoned);
        Assert.Null(m.ReactionMs);
    }

    [Fact]
    public void An_admins_cordon_is_not_ours_and_an_open_cordon_lasts_to_the_end()
    {
        var admin = ScenarioMeasurements.From(new RunState(), [At(0, false, true)], [new HostTransaction("Rebase", 10, 20, true, "")]);
        var open = ScenarioMeasurements.From(new RunState(), [At(100, true), At(700, true)], []);

        Assert.False(admin.PullingWhileCordoned);
        Assert.Equal(0, admin.CordonedMs);
        Assert.Equal(600, open.CordonedMs);
    }
}
