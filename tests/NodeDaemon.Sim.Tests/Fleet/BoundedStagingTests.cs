using NodeDaemon.Sim.Fleet;

namespace NodeDaemon.Sim.Tests.Fleet;

/// <summary>A small pool with <c>fleet.maxStaging</c>: never more pulls at once than the limit, and the pool still converges.</summary>
/// <remarks>Sized for two cores, like <see cref="FleetRunTests"/>; assertions are about what happened, never about how fast.</remarks>
public sealed class BoundedStagingTests
{
    private static readonly FleetSettings s_pool = new()
    {
        Nodes = 12,
        MaxUnavailable = 2,
        MaxStaging = 2,
        Seed = 7,
        Timeout = TimeSpan.FromSeconds(120),
        SlotRecheck = TimeSpan.FromMinutes(1),
        // The health gate is not what this is about, and on a loaded machine its floored timeout is what a slow kubelet model trips.
        HealthTimeout = TimeSpan.Zero,
    };

    [Fact]
    public async Task Twelve_nodes_with_two_slots_and_two_staging_slots_converge_never_pulling_more_than_two_at_once()
    {
        var run = await FleetRunner.RunPoolAsync(s_pool, CancellationToken.None);

        Assert.True(run.Converged, Describe(run));
        Assert.InRange(run.PeakConcurrentPulls, 1, 2);
        Assert.All(run.Agents, a => Assert.Equal(1, a.Host.Stages));
        Assert.Equal(0, run.Observer.CordonViolations);
        Assert.Equal(0, run.Observer.BudgetViolations);
    }

    [Fact]
    public async Task Crashing_agents_never_pull_more_than_the_limit_at_once()
    {
        // A holder killed mid-pull takes its slot up again when it restarts; one killed after its pull loses it when it expires.
        var run = await FleetRunner.RunPoolAsync(s_pool with { CrashRate = 0.3, Timeout = TimeSpan.FromSeconds(20) }, CancellationToken.None);

        Assert.True(run.Agents.Sum(a => a.Crashes) > 0, "the seed should crash some agents");
        Assert.InRange(run.PeakConcurrentPulls, 1, 2);
        Assert.Equal(0, run.Observer.CordonViolations);
    }

    [Fact]
    public async Task A_freed_staging_slot_reaches_a_waiting_node_without_its_recheck()
    {
        // Refused nodes ask again only after 6 h nominal (216 s real here, past the timeout): the pool converges in time only
        // because each holder done pulling hands its staging slot to a waiting node, whose watch tells it at once.
        var run = await FleetRunner.RunPoolAsync(s_pool with { StagingRecheck = TimeSpan.FromHours(6) }, CancellationToken.None);

        Assert.True(run.Converged, Describe(run));
        Assert.InRange(run.PeakConcurrentPulls, 1, 2);
        Assert.All(run.Agents, a => Assert.Equal(1, a.Host.Stages));
    }

    private static string Describe(FleetRun run) =>
        $"peak pulls {run.PeakConcurrentPulls}; " + string.Join("; ", run.Nodes.Where(n => n.Value.DoneAtMs is null).Select(n => $"{n.Key}: {n.Value.Phase}: {n.Value.Message}"));
}
