using NodeDaemon.Agent;
using NodeDaemon.Core.Agent;
using NodeDaemon.Core.Cluster;
using NodeDaemon.Core.Images;
using NodeDaemon.Core.Options;
using static NodeDaemon.Tests.Agent.AgentLoopWorld;

namespace NodeDaemon.Tests.Agent;

/// <summary>The loop that carries decisions out, over hand-written seams, across a restart and a reboot.</summary>
public sealed class AgentLoopTests : IDisposable
{
    private static readonly string s_new = "sha256:" + new string('2', 64);
    private readonly AgentLoopWorld _world = new("nodedaemon-loop-");

    [Fact]
    public async Task Converges_across_the_reboot_with_one_stage_one_drain_one_reboot_and_no_cordon_left()
    {
        _world.Node.Annotate("nodedaemon.io/desired-image", "quay.io/example/os@" + s_new);

        var before = await SettleAsync(_world.Loop());
        Assert.IsType<AgentAction.Wait>(before[^1].Action);
        Assert.Equal(1, _world.Host.Finalizations);
        Assert.IsType<AgentAction.Finalize>(before[^2].Action);

        // The machine reboots into the staged image; a new process starts.
        _world.Host.Reboot();
        _world.BootId = "boot-2";
        var after = await SettleAsync(_world.Loop());

        Assert.Equal(Digest.Parse(s_new), _world.Host.Booted.ImageDigest);
        Assert.Equal(1, _world.Host.Stages);
        Assert.Equal(1, _world.Node.Drains);
        Assert.Equal(1, _world.Host.Finalizations);
        Assert.False(_world.Node.Unschedulable);
        Assert.DoesNotContain("nodedaemon.io/cordoned-by", _world.Node.Annotations.Keys);
        Assert.Equal(AgentState.Idle, after[^1].State);
        // Three Events: the start of the pull shows in OSUpdateProgressing and the cordon in the kubelet's NodeNotSchedulable,
        // so Staged and Rebooting carry the pull's and the drain's lengths instead of an Event for each start.
        Assert.Equal([NodeEventKind.Staged, NodeEventKind.Rebooting, NodeEventKind.Verified], _world.Node.Events.Select(e => e.Kind));
        Assert.Matches(@"^staged .+ \(sha256:[0-9a-f]{64}\) in \d+ s$", _world.Node.Events.Single(e => e.Kind == NodeEventKind.Staged).Message);
        Assert.Matches(@"^drained: 1/1 pods evicted in \d+ s; ", _world.Node.Events.Single(e => e.Kind == NodeEventKind.Rebooting).Message);
        var last = _world.Node.Reports[^1];
        Assert.Equal((AgentCondition.Done, AgentState.Idle), (last.State, last.Phase));
        Assert.Equal("quay.io/example/os@" + s_new, last.CurrentImage);
    }

    [Fact]
    public async Task After_the_cordon_and_the_uncordon_the_loop_decides_on_the_node_as_written_without_reading_it()
    {
        _world.Node.Annotate("nodedaemon.io/desired-image", "quay.io/example/os@" + s_new);
        var loop = _world.Loop();

        // Turns without the watch: only the cordon's answer can tell the loop that the node is now cordoned.
        var decisions = await SettleAsync(loop);
        Assert.Equal(1, _world.Node.Gets);
        var cordon = decisions.FindIndex(d => d.Action is AgentAction.Cordon);
        Assert.IsType<AgentAction.Drain>(decisions[cordon + 1].Action);

        _world.Host.Reboot();
        _world.BootId = "boot-2";
        var after = await SettleAsync(_world.Loop());
        Assert.Equal(2, _world.Node.Gets);
        // After the uncordon the node is up to date and uncordoned: the next turn settles on the written node.
        var uncordon = after.FindIndex(d => d.Action is AgentAction.Uncordon);
        Assert.IsType<AgentAction.None>(after[uncordon + 1].Action);
    }

    [Fact]
    public async Task The_running_loop_decides_its_first_turn_on_the_watch_without_reading_the_node()
    {
        _world.Node.Annotate("nodedaemon.io/desired-image", "quay.io/example/os@" + s_new);
        var loop = _world.Loop();
        using var stop = new CancellationTokenSource();
        var run = loop.RunAsync(stop.Token);
        try
        {
            await Eventually.HoldsAsync(() => _world.Host.Stages == 1, "the stage");
            Assert.Equal(0, _world.Node.Gets);
        }
        finally
        {
            await stop.CancelAsync();
            await run.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
        }
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(3, 1)]   // within progressIntervalSeconds' default of 30 s: the log and STATUS line only
    [InlineData(31, 2)]
    public async Task A_progress_line_is_written_only_an_interval_after_the_last_write(int pullSeconds, int stagingReports)
    {
        _world.Node.Annotate("nodedaemon.io/desired-image", "quay.io/example/os@" + s_new);
        // The fake pull reports its one progress line at its end.
        _world.Host.WhileStaging = () => _world.Time.Advance(TimeSpan.FromSeconds(pullSeconds));

        var staging = await _world.Loop().TurnAsync(CancellationToken.None);

        Assert.IsType<AgentAction.Stage>(staging.Action);
        Assert.Equal(stagingReports, _world.Node.Reports.Count(r => r.Phase == AgentState.Staging));
        Assert.Equal(staging.Message, _world.Node.Reports[0].Message);
    }

    [Fact]
    public async Task Verification_adds_no_write_of_its_own_and_the_uncordon_says_Done()
    {
        _world.Node.Annotate("nodedaemon.io/desired-image", "quay.io/example/os@" + s_new);
        await SettleAsync(_world.Loop());
        _world.Host.Reboot();
        _world.BootId = "boot-2";
        var written = _world.Node.Reports.Count;

        var after = await SettleAsync(_world.Loop());

        // Verified first (while still cordoned), then one write lifts the cordon and says Done; the Verified event
        // keeps the audit trail of the phase that was too short to show.
        Assert.Equal([typeof(AgentAction.CompleteVerification), typeof(AgentAction.Uncordon)],
            after.Select(d => d.Action.GetType()).Where(t => t != typeof(AgentAction.None)));
        var report = Assert.Single(_world.Node.Reports.Skip(written));
        Assert.Equal((AgentCondition.Done, AgentState.Idle), (report.State, report.Phase));
        Assert.False(_world.Node.Unschedulable);
        Assert.Equal(NodeEventKind.Verified, _world.Node.Events[^1].Kind);
    }

    [Fact]
    public async Task The_cordon_and_the_uncordon_carry_their_reports_so_an_update_writes_the_node_four_times()
    {
        _world.Node.Annotate("nodedaemon.io/desired-image", "quay.io/example/os@" + s_new);
        await SettleAsync(_world.Loop());
        _world.Host.Reboot();
        _world.BootId = "boot-2";
        await SettleAsync(_world.Loop());

        // Staging, the cordon (Draining), Rebooting, the uncordon (Done): one write each.
        Assert.Equal([AgentState.Staging, AgentState.Draining, AgentState.Rebooting, AgentState.Idle], _world.Node.Reports.Select(r => r.Phase));
        Assert.Equal(4, _world.Node.Writes);
    }

    [Fact]
    public async Task A_cordon_that_finds_an_admins_cordon_writes_the_report_on_its_own()
    {
        _world.Node.Annotate("nodedaemon.io/desired-image", "quay.io/example/os@" + s_new);
        _world.Host.Staged = FakeHostSystem.Deployment(s_new);
        _world.Node.AdminCordonsFirst = true;
        var loop = _world.Loop();

        var decision = await loop.TurnAsync(CancellationToken.None);

        Assert.IsType<AgentAction.Cordon>(decision.Action);
        Assert.Equal(AgentState.Draining, Assert.Single(_world.Node.Reports).Phase);
        Assert.Equal(1, _world.Node.Writes);
    }

    [Fact]
    public async Task A_restart_that_finds_its_report_on_the_node_writes_nothing()
    {
        await _world.Loop().TurnAsync(CancellationToken.None);
        var shown = Assert.Single(_world.Node.Reports);
        Assert.Equal(AgentCondition.Done, shown.State);
        _world.Node.Annotate("nodedaemon.io/state", shown.State.ToString());
        _world.Node.Annotate("nodedaemon.io/phase", shown.Phase.ToString());
        _world.Node.Annotate("nodedaemon.io/reason", shown.Reason);
        _world.Node.Annotate("nodedaemon.io/message", shown.Message);
        _world.Node.Annotate("nodedaemon.io/current-image", shown.CurrentImage);

        // The daemon restarts (an upgrade of its package, say) on a node that has nothing new for it.
        await _world.Loop().TurnAsync(CancellationToken.None);

        Assert.Single(_world.Node.Reports);
        Assert.Equal(1, _world.Node.Writes);
    }

    [Fact]
    public async Task A_restart_writes_a_report_that_differs_from_the_node_in_any_output()
    {
        _world.Node.Annotate("nodedaemon.io/state", "Done");
        _world.Node.Annotate("nodedaemon.io/phase", "Idle");
        _world.Node.Annotate("nodedaemon.io/message", "something older");

        await _world.Loop().TurnAsync(CancellationToken.None);

        Assert.Equal(1, _world.Node.Writes);
    }

    [Fact]
    public async Task A_failed_pull_is_noted_retried_after_the_delay_and_never_cordons()
    {
        _world.Node.Annotate("nodedaemon.io/desired-image", "quay.io/example/os@" + s_new);
        _world.Host.FailNextStage = "error: manifest unknown";
        var loop = _world.Loop();

        await loop.TurnAsync(CancellationToken.None);
        var waiting = await loop.TurnAsync(CancellationToken.None);

        Assert.IsType<AgentAction.Wait>(waiting.Action);
        Assert.Contains("manifest unknown", waiting.Message, StringComparison.Ordinal);
        Assert.False(_world.Node.Unschedulable);
        _world.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.IsType<AgentAction.Stage>((await loop.TurnAsync(CancellationToken.None)).Action);
        Assert.Equal(2, _world.Host.Stages);
    }

    [Fact]
    public async Task A_drain_that_times_out_is_degraded_uncordoned_and_never_rebooted()
    {
        _world.Node.Annotate("nodedaemon.io/desired-image", "quay.io/example/os@" + s_new);
        _world.Node.DrainOutcome = () => new DrainResult(DrainOutcome.TimedOut, "waiting on default/web-2 (PDB web)", 3, 4, ["default/web-2"], ["web"]);

        var decisions = await SettleAsync(_world.Loop());

        Assert.Equal(AgentState.Degraded, decisions[^1].State);
        Assert.Contains("default/web-2", decisions[^1].Reason, StringComparison.Ordinal);
        Assert.Equal(0, _world.Host.Finalizations);
        Assert.False(_world.Node.Unschedulable);
        Assert.Contains(_world.Node.Events, e => e.Kind == NodeEventKind.Degraded);
    }

    [Fact]
    public async Task The_stayCordoned_policy_keeps_the_cordon_for_an_admin()
    {
        _world.Node.Annotate("nodedaemon.io/desired-image", "quay.io/example/os@" + s_new);
        _world.Node.DrainOutcome = () => new DrainResult(DrainOutcome.TimedOut, "timed out", 0, 1, ["default/db-0"], []);
        var options = new NodeDaemonOptions { Drain = new DrainOptions { OnTimeout = DrainTimeoutPolicy.StayCordoned } };

        var decisions = await SettleAsync(_world.Loop(options));

        Assert.Equal(AgentState.Degraded, decisions[^1].State);
        Assert.True(_world.Node.Unschedulable);
        Assert.Equal(0, _world.Host.Finalizations);
    }

    [Fact]
    public async Task The_notes_survive_a_restart_so_a_requested_reboot_is_not_requested_twice()
    {
        _world.Node.Annotate("nodedaemon.io/desired-image", "quay.io/example/os@" + s_new);
        await SettleAsync(_world.Loop());
        Assert.Equal(1, _world.Host.Finalizations);

        // The daemon restarts before the machine went down: same boot id.
        var again = await SettleAsync(_world.Loop());

        Assert.Equal(1, _world.Host.Finalizations);
        Assert.Equal(AgentState.Rebooting, again[^1].State);
    }

    // Every day 12:10 to 13:10 UTC; the fake clock starts at 12:00, ten minutes before it opens.
    private static readonly NodeDaemonOptions s_window = new()
    {
        Maintenance = new MaintenanceOptions { Windows = [new MaintenanceWindowOptions { Start = "12:10", LengthMinutes = 60 }] },
    };

    [Fact]
    public async Task Outside_the_window_a_staged_node_waits_for_the_opening_then_cordons()
    {
        _world.Node.Annotate("nodedaemon.io/desired-image", "quay.io/example/os@" + s_new);
        var loop = _world.Loop(s_window);

        var decisions = await SettleUntilWaitAsync(loop);

        var waiting = decisions[^1];
        Assert.Equal(AgentState.Staged, waiting.State);
        Assert.Equal(new AgentAction.Wait(_world.Time.GetUtcNow().AddMinutes(10)), waiting.Action);
        Assert.EndsWith("waiting for the maintenance window (opens Wed 12:10 UTC, in 10 min)", waiting.Message, StringComparison.Ordinal);
        Assert.Equal(1, _world.Host.Stages);
        Assert.False(_world.Node.Unschedulable);
        Assert.Equal(AgentState.Staged, _world.Node.Reports[^1].Phase);

        _world.Time.Advance(TimeSpan.FromMinutes(9));
        Assert.IsType<AgentAction.Wait>((await loop.TurnAsync(CancellationToken.None)).Action);
        _world.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.IsType<AgentAction.Cordon>((await loop.TurnAsync(CancellationToken.None)).Action);
    }

    [Fact]
    public async Task The_running_loop_wakes_when_the_window_opens_without_an_idle_tick()
    {
        _world.Node.Annotate("nodedaemon.io/desired-image", "quay.io/example/os@" + s_new);
        // A day-long idle tick: only the decision's Wait(opening) can wake the loop in time.
        var loop = _world.Loop(s_window, new LoopTuning(IdleTick: TimeSpan.FromDays(1)));
        using var stop = new CancellationTokenSource();
        var run = loop.RunAsync(stop.Token);
        try
        {
            await Eventually.HoldsAsync(() => loop.State == AgentState.Staged && _world.Host.Stages == 1, "staged and waiting");
            Assert.False(_world.Node.Unschedulable);

            _world.Time.Advance(TimeSpan.FromMinutes(10));

            await Eventually.HoldsAsync(() => _world.Host.Finalizations == 1, "the reboot after the window opened");
            Assert.Equal(1, _world.Node.Drains);
        }
        finally
        {
            await stop.CancelAsync();
            await run.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
        }
    }

    /// <summary>Runs turns until the first Wait, and returns the decisions.</summary>
    private static async Task<List<Decision>> SettleUntilWaitAsync(AgentLoop loop)
    {
        var decisions = new List<Decision>();
        for (var i = 0; i < 10 && decisions.LastOrDefault()?.Action is not AgentAction.Wait; i++)
        {
            decisions.Add(await loop.TurnAsync(CancellationToken.None));
        }

        return decisions;
    }

    public void Dispose() => _world.Dispose();
}
