using NodeDaemon.Sim.Fleet;

namespace NodeDaemon.Sim.Tests.Fleet;

/// <summary>Small pools of real agent loops on simulated hosts: the slot limit holds on every write, with crashes, failures and API errors.</summary>
/// <remarks>Sized for two cores: a dozen nodes at a hundredth of real time take a few seconds. Assertions are about
/// what happened, never about how fast.</remarks>
public sealed class FleetRunTests
{
    private static readonly FleetSettings s_pool = new()
    {
        Nodes = 12,
        MaxUnavailable = 3,
        Seed = 7,
        Timeout = TimeSpan.FromSeconds(90),
        // Short, so that the halted pool is watched through a recheck of every waiting node in a second of real time.
        SlotRecheck = TimeSpan.FromMinutes(1),
    };

    [Fact]
    public async Task With_a_bad_image_every_node_booted_on_it_has_a_kubelet_that_never_turns_Ready()
    {
        // Holds with the health gate absent (every node boots it and stays there) and present (the rolled-back nodes boot
        // the old image, whose kubelet turns Ready): the kubelet model follows each node's last boot.
        var run = await FleetRunner.RunPoolAsync(s_pool with { Nodes = 6, MaxUnavailable = 2, BadImage = true, Timeout = TimeSpan.FromSeconds(60) },
            CancellationToken.None);

        var onBad = run.Agents.Where(a => a.BootedDigests[^1] == FleetRunner.TargetDigest).Select(a => a.Name).Order().ToList();
        Assert.NotEmpty(onBad);
        Assert.Equal(onBad, run.NotReadyNodes.Order());
        Assert.Equal(0, run.Observer.CordonViolations);
        var blast = BlastRadius.Of(run.Agents, FleetRunner.TargetDigest);
        Assert.Equal(onBad.Count, blast.Still);
        Assert.Equal(blast.Booted, blast.Still + blast.RolledBack);
    }

    [Fact]
    public async Task With_the_gate_a_bad_image_boots_on_no_more_than_haltAfterFailures_nodes_and_the_rest_stay_schedulable_on_the_old_one()
    {
        // The daemon's gate (health.timeoutSeconds 600, scaled): every node that boots the bad image fails it, rolls back and
        // ends Degraded, still cordoned; the pool stops there. Without the gate every node boots it (docs/benchmarks.md).
        var settings = s_pool with { Nodes = 8, MaxUnavailable = 2, HaltAfter = 2, BadImage = true, Timeout = TimeSpan.FromSeconds(120) };
        var run = await FleetRunner.RunPoolAsync(settings, CancellationToken.None);

        var blast = BlastRadius.Of(run.Agents, FleetRunner.TargetDigest);
        Assert.InRange(blast.Booted, 1, settings.HaltAfter);
        Assert.Equal(blast.Booted, blast.RolledBack);
        Assert.Equal(0, blast.Still);
        Assert.True(run.Halted, Describe(run));
        Assert.Equal(0, run.Observer.CordonViolations);
        var rolledBack = run.Agents.Where(a => a.BootedDigests.Contains(FleetRunner.TargetDigest)).Select(a => a.Name).ToList();
        Assert.All(rolledBack, n => Assert.Equal("Degraded", run.Nodes[n].State));
        Assert.Empty(FleetReport.Bystanders(run));
        Assert.All(run.Agents.Where(a => !rolledBack.Contains(a.Name)), a => Assert.False(run.Nodes[a.Name].Cordoned, a.Name));
        Assert.Empty(run.NotReadyNodes);
    }

    [Fact]
    public async Task Twelve_nodes_with_three_slots_converge_never_more_than_three_cordoned_and_no_budget_broken()
    {
        var run = await FleetRunner.RunPoolAsync(s_pool, CancellationToken.None);

        Assert.True(run.Converged, Describe(run));
        Assert.InRange(run.Observer.MaxConcurrentCordoned, 1, 3);
        Assert.Equal(0, run.Observer.CordonViolations);
        Assert.Equal(0, run.Observer.BudgetViolations);
        Assert.All(run.Agents, a => Assert.Equal(2, a.Boots));
        Assert.Equal(12, run.Observer.SlotGrants);
    }

    [Fact]
    public async Task Crashing_agents_never_let_a_fourth_node_be_cordoned_nor_break_a_budget()
    {
        // Bounded: with crashes the pool may not converge (see the skipped test below), and safety is what this checks.
        var run = await FleetRunner.RunPoolAsync(s_pool with { CrashRate = 0.3, Timeout = TimeSpan.FromSeconds(20) }, CancellationToken.None);

        Assert.True(run.Agents.Sum(a => a.Crashes) > 0, "the seed should crash some agents");
        Assert.True(run.Observer.MaxConcurrentCordoned <= 3, Describe(run));
        Assert.Equal(0, run.Observer.CordonViolations);
        Assert.Equal(0, run.Observer.BudgetViolations);
        // A crash never costs a second reboot for one image.
        Assert.All(run.Agents, a => Assert.InRange(a.Boots, 1, 2));
    }

    // Found by this test: a daemon restarted between its drain and its finalize asked for its slot again in WaitingForSlot and
    // then could not enter Rebooting (the state machine allows it only from Draining): it crash-looped, cordoned.
    [Fact]
    public async Task Crashing_agents_still_converge()
    {
        var run = await FleetRunner.RunPoolAsync(s_pool with { CrashRate = 0.3 }, CancellationToken.None);

        Assert.True(run.Converged, Describe(run));
        Assert.Equal(0, run.Agents.Sum(a => a.Failures));
        Assert.All(run.Agents, a => Assert.Equal(2, a.Boots));
    }

    [Fact]
    public async Task Two_failing_nodes_with_haltAfterFailures_two_halt_the_pool_and_no_slot_is_granted_after()
    {
        // One reboot per image: a failing node gives up at its first lost stage, while it still holds the slot it took first.
        // With two attempts it gives the slot back to stage again, and whether the pool is done before its second failure
        // is a race of timings, not a property of the daemon.
        var run = await FleetRunner.RunPoolAsync(s_pool with { FailNodes = 2, HaltAfter = 2, RebootAttempts = 1 }, CancellationToken.None);

        var failing = run.Agents.Where(a => a.LosesStage).Select(a => a.Name).ToList();
        Assert.Equal(2, failing.Count);
        Assert.All(failing, n => Assert.Equal("Degraded", run.Nodes[n].State));
        Assert.True(run.Observer.MaxConcurrentCordoned <= 3, Describe(run));
        Assert.Equal(0, run.Observer.SlotGrantsAfterHalt);
        // The failing nodes take the first slots, so when the second gives up the others are still waiting, told why.
        Assert.True(run.Halted, Describe(run));
        var waiting = run.Nodes.Values.Where(n => n.DoneAtMs is null && n.State != "Degraded").ToList();
        Assert.NotEmpty(waiting);
        Assert.All(waiting, n => Assert.StartsWith("pool halted", n.Message, StringComparison.Ordinal));
        Assert.DoesNotContain(run.Nodes.Values, n => n.Cordoned);
    }

    [Fact]
    public async Task One_failing_node_below_the_halt_threshold_ends_Degraded_and_the_rest_converge()
    {
        var run = await FleetRunner.RunPoolAsync(s_pool with { FailNodes = 1, HaltAfter = 2 }, CancellationToken.None);

        Assert.True(run.Converged, Describe(run));
        Assert.False(run.Halted);
        var failing = Assert.Single(run.Agents, a => a.LosesStage);
        Assert.Equal("Degraded", run.Nodes[failing.Name].State);
        Assert.False(run.Nodes[failing.Name].Cordoned);
        Assert.True(run.Observer.MaxConcurrentCordoned <= 3, Describe(run));
    }

    [Fact]
    public async Task API_errors_at_a_tenth_of_the_requests_do_not_let_a_fourth_node_in()
    {
        var run = await FleetRunner.RunPoolAsync(s_pool with { ApiErrorRate = 0.1 }, CancellationToken.None);

        Assert.True(run.Errors.Keys.Any(k => k.EndsWith(" 500", StringComparison.Ordinal)), "the faults should have answered some requests with 500");
        Assert.True(run.Converged, Describe(run));
        Assert.True(run.Observer.MaxConcurrentCordoned <= 3, Describe(run));
        Assert.Equal(0, run.Observer.BudgetViolations);
    }

    [Fact]
    public async Task The_verb_prints_the_measurements_and_passes()
    {
        var result = await new FleetRunner(s_pool with { Nodes = 6, MaxUnavailable = 2 }).RunAsync(CancellationToken.None);

        Assert.True(result.Passed, string.Join("; ", result.Failures));
        Assert.True(result.LoneNodeSeconds > 0);
        Assert.Equal(Math.Ceiling(6 / 2.0) * result.LoneNodeSeconds, result.IdealMakespanSeconds, precision: 6);
        Assert.True(result.ApiRequestsPerNode > 0);
        Assert.Contains("list nodes", result.ApiRequestsPerNodeByKind.Keys);
    }

    private static string Describe(FleetRun run) =>
        $"converged {run.Converged}, halted {run.Halted}, max cordoned {run.Observer.MaxConcurrentCordoned}, "
        + $"failures {run.Agents.Sum(a => a.Failures)} ({run.Agents.Select(a => a.LastFailure).LastOrDefault(f => f is not null)}); "
        + string.Join("; ", run.Nodes.Where(n => n.Value.DoneAtMs is null).Select(n => $"{n.Key} {n.Value.State}/{n.Value.Phase}: {n.Value.Message}"));
}
