using NodeDaemon.Core.Health;
using NodeDaemon.Kubernetes.Api;
using NodeDaemon.Sim.Fleet;

namespace NodeDaemon.Sim.Tests.Fleet;

/// <summary>The agents of a fleet run get every nominal duration scaled, the watch timeout included.</summary>
public sealed class FleetSetupTests
{
    private static readonly TimeSpan s_realDefault = new ApiTransportOptions().WatchTimeout;

    [Fact]
    public void The_watch_timeout_is_the_transports_default_scaled_so_reconnects_are_counted_as_a_real_pool_makes_them()
    {
        var run = new FleetSettings { TimeScale = 0.01 };

        var setup = FleetRunner.Setup(run, "kubeconfig", "state");

        Assert.Equal(s_realDefault * 0.01, setup.Transport.Transport.WatchTimeout);
        // What a request bounds: a hung answer still gets the real client's patience.
        Assert.Equal(new ApiTransportOptions().RequestTimeout, setup.Transport.Transport.RequestTimeout);
    }

    [Fact]
    public void The_watch_timeout_is_whole_seconds_and_never_below_one_and_the_report_tells_the_nominal_value_used()
    {
        // timeoutSeconds is an integer: 30 min at 0.0015 is 2.7 s, asked for as 3 s; at 0.0001 it would be 0.18 s, asked for as 1 s.
        Assert.Equal(TimeSpan.FromMinutes(30), s_realDefault);
        Assert.Equal(TimeSpan.FromSeconds(3), new FleetSettings { TimeScale = 0.0015 }.WatchTimeout);
        Assert.Equal(TimeSpan.FromSeconds(1), new FleetSettings { TimeScale = 0.0001 }.WatchTimeout);
        Assert.Equal(FleetSettings.NominalWatchTimeout, s_realDefault);
    }

    [Fact]
    public void A_good_images_gate_times_out_after_its_two_api_graces_so_it_reads_the_node_watch_as_shipped_and_a_bad_ones_keeps_the_floor()
    {
        // 600 nominal s at 0.05 is 30 real s: inside HealthRules.ReadsWatchedWaitFrom's two real minutes, where the gate
        // GETs the node at its first ask, which a node with the shipped 600 s never does.
        var good = FleetRunner.Setup(new FleetSettings { TimeScale = 0.05 }, "kubeconfig", "state").Options.Health.Timeout;
        var bad = FleetRunner.Setup(new FleetSettings { TimeScale = 0.05, BadImage = true }, "kubeconfig", "state").Options.Health.Timeout;
        var off = FleetRunner.Setup(new FleetSettings { TimeScale = 0.05, HealthTimeout = TimeSpan.Zero }, "kubeconfig", "state").Options.Health.Timeout;
        var slow = FleetRunner.Setup(new FleetSettings { TimeScale = 1 }, "kubeconfig", "state").Options.Health.Timeout;

        Assert.True(good > HealthRules.ApiReturnGrace * 2, $"{good}");
        Assert.Equal(TimeSpan.FromSeconds(30), bad);
        Assert.Equal(TimeSpan.Zero, off);
        Assert.Equal(TimeSpan.FromSeconds(600), slow);
    }

    [Fact]
    public async Task The_report_gives_the_nominal_watch_timeout_the_agents_ran_with()
    {
        var result = await new FleetRunner(new FleetSettings { Nodes = 2, MaxUnavailable = 1, TimeScale = 0.001, Timeout = TimeSpan.FromSeconds(60) })
            .RunAsync(CancellationToken.None);

        // 1.8 s at a thousandth of real time is asked for as 2 s: 2000 s nominal, not a real cluster's 1800 s, and the report says so.
        Assert.Equal(2000, result.WatchTimeoutSeconds);
        // The slot watch's 12 h: 43.2 s asked for as 43 s.
        Assert.Equal(43000, result.WaitWatchTimeoutSeconds);
    }

    [Fact]
    public void The_agents_slot_watches_ask_for_the_daemons_wait_timeout_scaled()
    {
        var setup = FleetRunner.Setup(new FleetSettings { TimeScale = 0.05 }, "kubeconfig", "state");

        Assert.Equal(TimeSpan.FromHours(12) * 0.05, setup.WaitWatchTimeout);
    }
}
