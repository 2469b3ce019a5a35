using NodeDaemon.Core.Agent;
using NodeDaemon.Core.Health;
using NodeDaemon.Core.Images;
using NodeDaemon.Core.Options;
using NodeDaemon.Core.Tests.Fleet;
using static NodeDaemon.Core.Tests.Agent.Build;

namespace NodeDaemon.Core.Tests.Agent;

/// <summary>Whole updates in the model world: converge once, survive a crash at every step, never loop.</summary>
public sealed class ConvergenceTests
{
    private static void AssertConverged(ModelWorld world, string digest, int reboots = 1)
    {
        Assert.Equal(Digest.Parse(digest), world.Booted.ImageDigest);
        Assert.Equal(reboots, world.Reboots);
        Assert.False(world.CordonedByUs);
        Assert.False(world.Unschedulable);
        Assert.False(world.SlotHeld);
        Assert.Null(world.Record.Reboot);
        Assert.Equal(AgentState.Idle, world.Decisions[^1].State);
    }

    [Fact]
    public void Happy_path_goes_through_every_phase_once()
    {
        var world = new ModelWorld { Desired = Pull(D2) };

        world.Run();

        AssertConverged(world, D2);
        Assert.Equal(1, world.Drains);
        var phases = world.Decisions.Select(d => d.State).Distinct();
        Assert.Equal([AgentState.Staging, AgentState.Draining, AgentState.Rebooting, AgentState.Verifying, AgentState.Idle], phases);
    }

    [Fact]
    public void Fleet_path_takes_and_returns_a_slot()
    {
        var world = new ModelWorld { Desired = Pull(D2), Options = new() { Fleet = new() { Enabled = true } } };

        world.Run();

        AssertConverged(world, D2);
        Assert.Contains(world.Decisions, d => d.State == AgentState.WaitingForSlot);
    }

    private static readonly NodeDaemonOptions s_fleet = new() { Fleet = new() { Enabled = true } };

    [Theory]
    [MemberData(nameof(FleetCrashPoints))]
    public void Fleet_a_crash_midway_through_any_step_converges_and_gives_the_slot_back(int step)
    {
        var slots = new FakeSlotClient(slots: 1);
        var world = new ModelWorld { Desired = Pull(D2), Options = s_fleet, Slots = slots };

        world.Run(crashAt: new HashSet<int> { step });

        AssertConverged(world, D2);
        Assert.Empty(slots.Holders(Pool));
        Assert.Equal(1, world.Cordons);
    }

    public static TheoryData<int> FleetCrashPoints => new(Enumerable.Range(0, 14));

    [Fact]
    public void Two_nodes_on_one_slot_take_turns_and_are_never_cordoned_together()
    {
        var slots = new FakeSlotClient(slots: 1);
        var worlds = new[] { "node-a", "node-b" }
            .Select(n => new ModelWorld { Desired = Pull(D2), Options = s_fleet, Slots = slots, NodeName = n }).ToArray();
        var rest = new bool[worlds.Length];
        for (var i = 0; i < 400 && rest.Contains(false); i++)
        {
            var world = worlds[i % worlds.Length];
            var decision = world.Step();
            rest[i % worlds.Length] = decision is { Action: AgentAction.None, State: AgentState.Idle };
            Assert.True(worlds.Count(w => w.Unschedulable) <= 1, "two nodes cordoned with one slot");
            AssertSlotNamesTheStage(world, slots);
        }

        Assert.All(worlds, w => AssertConverged(w, D2));
        Assert.Empty(slots.Holders(Pool));
        Assert.Contains(worlds[1].Decisions, d => d.Message.StartsWith("waiting for a slot: the pool's one slot is held", StringComparison.Ordinal));
    }

    [Fact]
    public void A_desired_image_changed_while_holding_a_slot_makes_the_slot_name_the_new_digest_before_the_cordon()
    {
        var slots = new FakeSlotClient(slots: 1);
        var world = new ModelWorld { Desired = Pull(D2), Options = s_fleet, Slots = slots };
        while (world.Step().Action is not AgentAction.AcquireSlot)
        {
        }

        Assert.Equal(D2, slots.DigestOf(new(world.NodeName, Pool)));
        world.Desired = Pull(D3);
        while (world.Step().Action is not AgentAction.Cordon)
        {
            AssertSlotNamesTheStage(world, slots);
        }

        Assert.Equal(D3, slots.DigestOf(new(world.NodeName, Pool)));
        world.Run();
        AssertConverged(world, D3);
    }

    [Fact]
    public void A_node_without_the_pool_label_stages_but_never_disrupts()
    {
        var world = new ModelWorld { Desired = Pull(D2), Options = s_fleet, Pool = null };

        var rest = world.Run();

        Assert.Equal(AgentState.WaitingForSlot, rest.State);
        Assert.Equal(Digest.Parse(D2), world.Staged?.ImageDigest);
        Assert.Equal(0, world.Cordons);
        Assert.False(world.SlotHeld);
        world.Pool = "workers";
        world.Run();
        AssertConverged(world, D2);
    }

    /// <summary>Whenever our cordon is up, the slot we hold names the digest we are rebooting into.</summary>
    private static void AssertSlotNamesTheStage(ModelWorld world, FakeSlotClient slots)
    {
        if (world.CordonedByUs && world.Staged is { ImageDigest: { } staged } && world.Booted.ImageDigest != staged)
        {
            Assert.Equal(staged.ToString(), slots.DigestOf(new(world.NodeName, Pool)));
        }
    }

    public static TheoryData<int> CrashPoints => new(Enumerable.Range(0, 12));

    [Theory]
    [MemberData(nameof(CrashPoints))]
    public void A_crash_midway_through_any_step_still_converges_with_one_reboot(int step)
    {
        var world = new ModelWorld { Desired = Pull(D2) };

        world.Run(crashAt: new HashSet<int> { step });

        AssertConverged(world, D2);
        Assert.InRange(world.Drains, 1, 2);
        Assert.Equal(1, world.Cordons);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Crashes_at_every_other_step_never_loop_and_never_leave_a_cordon(int parity)
    {
        var world = new ModelWorld { Desired = Pull(D2) };

        var rest = world.Run(crashAt: Enumerable.Range(0, 60).Where(i => i % 2 == parity).ToHashSet());

        // Crashing inside every finalization uses up the reboot budget: Degraded is then the honest end.
        Assert.True(world.Booted.ImageDigest == Digest.Parse(D2) ? rest.State == AgentState.Idle : rest.State == AgentState.Degraded);
        Assert.InRange(world.Reboots, 0, new NodeDaemonOptions().Reboot.MaxAttempts);
        Assert.False(world.CordonedByUs);
    }

    [Fact]
    public void An_admin_uncordon_after_the_drain_means_a_new_drain_before_the_reboot()
    {
        var world = new ModelWorld { Desired = Pull(D2) };
        while (!world.Record.Drained)
        {
            world.Step();
        }

        // An admin lifts our cordon; pods come back. The old drain must not count for the reboot.
        (world.Unschedulable, world.CordonedByUs, world.DrainedSinceCordon) = (false, false, false);
        world.Run();

        AssertConverged(world, D2, reboots: 1);
        Assert.Equal(2, world.Drains);
        Assert.Equal(2, world.Cordons);
    }

    [Fact]
    public void A_lost_stage_is_retried_once_within_the_budget()
    {
        var world = new ModelWorld { Desired = Pull(D2), LostStages = 1 };

        world.Run();

        AssertConverged(world, D2, reboots: 2);
    }

    [Fact]
    public void Stages_lost_every_time_end_Degraded_with_no_further_reboot_and_no_cordon()
    {
        var world = new ModelWorld { Desired = Pull(D2), LostStages = int.MaxValue };

        var rest = world.Run();
        for (var i = 0; i < 20; i++)
        {
            rest = world.Step();
        }

        Assert.Equal(AgentState.Degraded, rest.State);
        Assert.Equal(new NodeDaemonOptions().Reboot.MaxAttempts, world.Reboots);
        Assert.False(world.CordonedByUs);
        Assert.Contains("reboot(s)", rest.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Failing_pulls_are_retried_with_backoff_and_never_drain()
    {
        var world = new ModelWorld { Desired = Pull(D2), FailingStages = 2 };

        world.Run();

        AssertConverged(world, D2);
        var firstCordon = world.Decisions.FindIndex(d => d.Action is AgentAction.Cordon);
        var lastStage = world.Decisions.FindLastIndex(d => d.Action is AgentAction.Stage);
        Assert.True(lastStage < firstCordon, "a cordon came before the pull succeeded");
        Assert.True(world.Now >= Now + TimeSpan.FromSeconds(30 + 60), "retries did not wait");
    }

    [Fact]
    public void Pulls_failing_past_the_budget_end_Degraded_without_ever_cordoning()
    {
        var world = new ModelWorld { Desired = Pull(D2), FailingStages = int.MaxValue };

        var rest = world.Run();

        Assert.Equal(AgentState.Degraded, rest.State);
        Assert.Equal(0, world.Cordons);
        Assert.Equal(0, world.Reboots);
        Assert.Contains("manifest unknown", rest.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_admins_cordon_is_used_and_kept()
    {
        var world = new ModelWorld { Desired = Pull(D2), Unschedulable = true };

        world.Run();

        Assert.Equal(Digest.Parse(D2), world.Booted.ImageDigest);
        Assert.Equal(0, world.Cordons);
        Assert.True(world.Unschedulable);
        Assert.Equal(1, world.Reboots);
    }

    [Fact]
    public void A_desired_image_changed_mid_drain_is_the_one_booted_with_one_reboot()
    {
        var world = new ModelWorld { Desired = Pull(D2) };
        while (world.Step().Action is not AgentAction.Drain)
        {
        }

        world.Desired = Pull(D3);
        world.Run();

        AssertConverged(world, D3);
    }

    [Fact]
    public void Pause_holds_before_the_cordon_and_release_goes_on()
    {
        var world = new ModelWorld { Desired = Pull(D2), Paused = true };

        var rest = world.Run();
        Assert.Equal(AgentState.Paused, rest.State);
        Assert.Equal(Digest.Parse(D2), world.Staged?.ImageDigest);
        Assert.Equal(0, world.Cordons);

        world.Paused = false;
        world.Run();
        AssertConverged(world, D2);
    }

    private static readonly NodeDaemonOptions s_gateOn = new() { Health = new HealthOptions { Timeout = TimeSpan.FromMinutes(20), KeepCordonAfterRollback = false } };

    /// <summary>A world whose gate fails on D2 (kubelet never Ready there) and passes on D1.</summary>
    private static ModelWorld BadImage(NodeDaemonOptions? options = null) => new()
    {
        Desired = Pull(D2),
        Options = options ?? s_gateOn,
        Gate = digest => digest == Digest.Parse(D2) ? new HealthVerdict.Failed("kubelet not Ready 600 s after boot") : new HealthVerdict.Passed(),
    };

    private static void AssertRolledBack(ModelWorld world)
    {
        Assert.Equal(Digest.Parse(D1), world.Booted.ImageDigest);
        Assert.Equal(2, world.Reboots);
        Assert.Equal(1, world.Rollbacks);
        Assert.Equal(AgentState.Degraded, world.Decisions[^1].State);
        Assert.Equal($"rolled back from {Pull(D2)}: kubelet not Ready 600 s after boot", world.Decisions[^1].Reason);
        Assert.Equal(Pull(D2), world.RejectedMark);
        Assert.Equal(Digest.Parse(D2), world.Record.Rejected?.Digest);
        Assert.False(world.CordonedByUs);
    }

    [Fact]
    public void A_good_image_passes_the_gate_with_one_reboot()
    {
        var world = new ModelWorld { Desired = Pull(D2), Options = s_gateOn };

        world.Run();

        AssertConverged(world, D2);
        Assert.Equal(0, world.Rollbacks);
    }

    [Fact]
    public void A_bad_image_is_rolled_back_once_and_never_staged_again()
    {
        var world = BadImage();

        world.Run();
        AssertRolledBack(world);

        // A restart (a new process) and more turns: nothing is staged again, no third reboot.
        world.Run();
        AssertRolledBack(world);
        Assert.Equal(1, world.Drains);
    }

    [Theory]
    [MemberData(nameof(RollbackSteps))]
    public void A_crash_midway_through_any_step_of_a_rollback_ends_the_same(int step)
    {
        var world = BadImage();

        world.Run(crashAt: new HashSet<int> { step });

        AssertRolledBack(world);
    }

    public static TheoryData<int> RollbackSteps() => [.. Enumerable.Range(0, 16)];

    [Fact]
    public void After_a_rollback_the_admin_points_the_node_at_a_fixed_image_and_it_converges()
    {
        var world = BadImage();
        world.Run();

        world.Desired = Pull(D3);
        world.Run();

        Assert.Equal(Digest.Parse(D3), world.Booted.ImageDigest);
        Assert.Equal(3, world.Reboots);
        Assert.Null(world.RejectedMark);
        Assert.Null(world.Record.Rejected);
        Assert.Equal(AgentState.Idle, world.Decisions[^1].State);
    }

    [Fact]
    public void Cleared_by_an_admin_the_image_is_tried_again()
    {
        var world = BadImage();
        world.Run();

        world.RejectedMark = null;
        world.Run();

        // Tried again as a new attempt (the admin asked for it): staged, rebooted into, failed the gate, rolled back once more.
        Assert.Equal(4, world.Reboots);
        Assert.Equal(2, world.Rollbacks);
        Assert.Equal(Digest.Parse(D1), world.Booted.ImageDigest);
        Assert.Equal(Pull(D2), world.RejectedMark);
    }
}
