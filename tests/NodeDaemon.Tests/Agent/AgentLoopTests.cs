using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using NodeDaemon.Agent;
using NodeDaemon.Core.Agent;
using NodeDaemon.Core.Cluster;
using NodeDaemon.Core.Fleet;
using NodeDaemon.Core.Images;
using NodeDaemon.Core.Options;
using NodeDaemon.State;
using NodeDaemon.Systemd;
using NodeDaemon.Tests.Systemd;

namespace NodeDaemon.Tests.Agent;

/// <summary>The loop that carries decisions out, over hand-written seams, across a restart and a reboot.</summary>
public sealed class AgentLoopTests : IDisposable
{
    private static readonly string s_new = "sha256:" + new string('2', 64);
    private readonly DirectoryInfo _state = Directory.CreateTempSubdirectory("nodedaemon-loop-");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
    private readonly FakeNodeClient _node = new();
    private readonly FakeHostSystem _host = new();
    private string _bootId = "boot-1";

    private sealed class BootId(Func<string> read) : IBootIdSource
    {
        public string Read() => read();
    }

    private AgentLoop Loop(NodeDaemonOptions? options = null) => new(
        _node, _host, NoSlotClient.Instance, new AgentRecordStore(_state.FullName, _time, NullLogger<AgentRecordStore>.Instance), new BootId(() => _bootId),
        options ?? new NodeDaemonOptions(), _time, new AgentHeartbeat(_time), new StatusReporter(new RecordingNotifier()),
        NullLogger<AgentLoop>.Instance);

    /// <summary>Runs turns until the loop settles (nothing to do, or waiting for the reboot) and returns the decisions.</summary>
    private static async Task<List<Decision>> SettleAsync(AgentLoop loop)
    {
        var decisions = new List<Decision>();
        for (var i = 0; i < 30; i++)
        {
            var decision = await loop.TurnAsync(CancellationToken.None);
            decisions.Add(decision);
            if (decision.Action is AgentAction.None || decision is { State: AgentState.Rebooting, Action: AgentAction.Wait })
            {
                return decisions;
            }
        }

        throw new InvalidOperationException("the loop did not settle: " + string.Join(" | ", decisions.Select(d => d.Action)));
    }

    [Fact]
    public async Task Converges_across_the_reboot_with_one_stage_one_drain_one_reboot_and_no_cordon_left()
    {
        _node.Annotate("nodedaemon.io/desired-image", "quay.io/example/os@" + s_new);

        var before = await SettleAsync(Loop());
        Assert.IsType<AgentAction.Wait>(before[^1].Action);
        Assert.Equal(1, _host.Finalizations);
        Assert.IsType<AgentAction.Finalize>(before[^2].Action);

        // The machine reboots into the staged image; a new process starts.
        _host.Reboot();
        _bootId = "boot-2";
        var after = await SettleAsync(Loop());

        Assert.Equal(Digest.Parse(s_new), _host.Booted.ImageDigest);
        Assert.Equal(1, _host.Stages);
        Assert.Equal(1, _node.Drains);
        Assert.Equal(1, _host.Finalizations);
        Assert.False(_node.Unschedulable);
        Assert.DoesNotContain("nodedaemon.io/cordoned-by", _node.Annotations.Keys);
        Assert.Equal(AgentState.Idle, after[^1].State);
        Assert.Equal([NodeEventKind.Staging, NodeEventKind.Staged, NodeEventKind.Draining, NodeEventKind.Rebooting, NodeEventKind.Verified],
            _node.Events.Select(e => e.Kind));
        // One Event per transition: the drain's end rides in the Rebooting Event.
        Assert.StartsWith("drained: ", _node.Events.Single(e => e.Kind == NodeEventKind.Rebooting).Message, StringComparison.Ordinal);
        var last = _node.Reports[^1];
        Assert.Equal((AgentCondition.Done, AgentState.Idle), (last.State, last.Phase));
        Assert.Equal("quay.io/example/os@" + s_new, last.CurrentImage);
    }

    [Fact]
    public async Task After_the_cordon_and_the_uncordon_the_loop_decides_on_the_node_as_written_without_reading_it()
    {
        _node.Annotate("nodedaemon.io/desired-image", "quay.io/example/os@" + s_new);
        var loop = Loop();

        // Turns without the watch: only the cordon's answer can tell the loop that the node is now cordoned.
        var decisions = await SettleAsync(loop);
        Assert.Equal(1, _node.Gets);
        var cordon = decisions.FindIndex(d => d.Action is AgentAction.Cordon);
        Assert.IsType<AgentAction.Drain>(decisions[cordon + 1].Action);

        _host.Reboot();
        _bootId = "boot-2";
        var after = await SettleAsync(Loop());
        Assert.Equal(2, _node.Gets);
        // After the uncordon the node is up to date and uncordoned: the next turn settles on the written node.
        var uncordon = after.FindIndex(d => d.Action is AgentAction.Uncordon);
        Assert.IsType<AgentAction.None>(after[uncordon + 1].Action);
    }

    [Fact]
    public async Task The_running_loop_decides_its_first_turn_on_the_watch_without_reading_the_node()
    {
        _node.Annotate("nodedaemon.io/desired-image", "quay.io/example/os@" + s_new);
        var loop = Loop();
        using var stop = new CancellationTokenSource();
        var run = loop.RunAsync(stop.Token);
        try
        {
            await Eventually.HoldsAsync(() => _host.Stages == 1, "the stage");
            Assert.Equal(0, _node.Gets);
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
        _node.Annotate("nodedaemon.io/desired-image", "quay.io/example/os@" + s_new);
        // The fake pull reports its one progress line at its end.
        _host.WhileStaging = () => _time.Advance(TimeSpan.FromSeconds(pullSeconds));

        var staging = await Loop().TurnAsync(CancellationToken.None);

        Assert.IsType<AgentAction.Stage>(staging.Action);
        Assert.Equal(stagingReports, _node.Reports.Count(r => r.Phase == AgentState.Staging));
        Assert.Equal(staging.Message, _node.Reports[0].Message);
    }

    [Fact]
    public async Task Verification_adds_no_write_of_its_own_and_the_uncordon_says_Done()
    {
        _node.Annotate("nodedaemon.io/desired-image", "quay.io/example/os@" + s_new);
        await SettleAsync(Loop());
        _host.Reboot();
        _bootId = "boot-2";
        var written = _node.Reports.Count;

        var after = await SettleAsync(Loop());

        // Verified first (while still cordoned), then one write lifts the cordon and says Done; the Verified event
        // keeps the audit trail of the phase that was too short to show.
        Assert.Equal([typeof(AgentAction.CompleteVerification), typeof(AgentAction.Uncordon)],
            after.Select(d => d.Action.GetType()).Where(t => t != typeof(AgentAction.None)));
        var report = Assert.Single(_node.Reports.Skip(written));
        Assert.Equal((AgentCondition.Done, AgentState.Idle), (report.State, report.Phase));
        Assert.False(_node.Unschedulable);
        Assert.Equal(NodeEventKind.Verified, _node.Events[^1].Kind);
    }

    [Fact]
    public async Task The_cordon_and_the_uncordon_carry_their_reports_so_an_update_writes_the_node_four_times()
    {
        _node.Annotate("nodedaemon.io/desired-image", "quay.io/example/os@" + s_new);
        await SettleAsync(Loop());
        _host.Reboot();
        _bootId = "boot-2";
        await SettleAsync(Loop());

        // Staging, the cordon (Draining), Rebooting, the uncordon (Done): one write each.
        Assert.Equal([AgentState.Staging, AgentState.Draining, AgentState.Rebooting, AgentState.Idle], _node.Reports.Select(r => r.Phase));
        Assert.Equal(4, _node.Writes);
    }

    [Fact]
    public async Task A_cordon_that_finds_an_admins_cordon_writes_the_report_on_its_own()
    {
        _node.Annotate("nodedaemon.io/desired-image", "quay.io/example/os@" + s_new);
        _host.Staged = FakeHostSystem.Deployment(s_new);
        _node.AdminCordonsFirst = true;
        var loop = Loop();

        var decision = await loop.TurnAsync(CancellationToken.None);

        Assert.IsType<AgentAction.Cordon>(decision.Action);
        Assert.Equal(AgentState.Draining, Assert.Single(_node.Reports).Phase);
        Assert.Equal(1, _node.Writes);
    }

    [Fact]
    public async Task A_restart_that_finds_its_report_on_the_node_writes_nothing()
    {
        await Loop().TurnAsync(CancellationToken.None);
        var shown = Assert.Single(_node.Reports);
        Assert.Equal(AgentCondition.Done, shown.State);
        _node.Annotate("nodedaemon.io/state", shown.State.ToString());
        _node.Annotate("nodedaemon.io/phase", shown.Phase.ToString());
        _node.Annotate("nodedaemon.io/reason", shown.Reason);
        _node.Annotate("nodedaemon.io/message", shown.Message);
        _node.Annotate("nodedaemon.io/current-image", shown.CurrentImage);

        // The daemon restarts (an upgrade of its package, say) on a node that has nothing new for it.
        await Loop().TurnAsync(CancellationToken.None);

        Assert.Single(_node.Reports);
        Assert.Equal(1, _node.Writes);
    }

    [Fact]
    public async Task A_restart_writes_a_report_that_differs_from_the_node_in_any_output()
    {
        _node.Annotate("nodedaemon.io/state", "Done");
        _node.Annotate("nodedaemon.io/phase", "Idle");
        _node.Annotate("nodedaemon.io/message", "something older");

        await Loop().TurnAsync(CancellationToken.None);

        Assert.Equal(1, _node.Writes);
    }

    [Fact]
    public async Task A_failed_pull_is_noted_retried_after_the_delay_and_never_cordons()
    {
        _node.Annotate("nodedaemon.io/desired-image", "quay.io/example/os@" + s_new);
        _host.FailNextStage = "error: manifest unknown";
        var loop = Loop();

        await loop.TurnAsync(CancellationToken.None);
        var waiting = await loop.TurnAsync(CancellationToken.None);

        Assert.IsType<AgentAction.Wait>(waiting.Action);
        Assert.Contains("manifest unknown", waiting.Message, StringComparison.Ordinal);
        Assert.False(_node.Unschedulable);
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.IsType<AgentAction.Stage>((await loop.TurnAsync(CancellationToken.None)).Action);
        Assert.Equal(2, _host.Stages);
    }

    [Fact]
    public async Task A_drain_that_times_out_is_degraded_uncordoned_and_never_rebooted()
    {
        _node.Annotate("nodedaemon.io/desired-image", "quay.io/example/os@" + s_new);
        _node.DrainOutcome = () => new DrainResult(DrainOutcome.TimedOut, "waiting on default/web-2 (PDB web)", 3, 4, ["default/web-2"], ["web"]);

        var decisions = await SettleAsync(Loop());

        Assert.Equal(AgentState.Degraded, decisions[^1].State);
        Assert.Contains("default/web-2", decisions[^1].Reason, StringComparison.Ordinal);
        Assert.Equal(0, _host.Finalizations);
        Assert.False(_node.Unschedulable);
        Assert.Contains(_node.Events, e => e.Kind == NodeEventKind.Degraded);
    }

    [Fact]
    public async Task The_stayCordoned_policy_keeps_the_cordon_for_an_admin()
    {
        _node.Annotate("nodedaemon.io/desired-image", "quay.io/example/os@" + s_new);
        _node.DrainOutcome = () => new DrainResult(DrainOutcome.TimedOut, "timed out", 0, 1, ["default/db-0"], []);
        var options = new NodeDaemonOptions { Drain = new DrainOptions { OnTimeout = DrainTimeoutPolicy.StayCordoned } };

        var decisions = await SettleAsync(Loop(options));

        Assert.Equal(AgentState.Degraded, decisions[^1].State);
        Assert.True(_node.Unschedulable);
        Assert.Equal(0, _host.Finalizations);
    }

    [Fact]
    public async Task The_notes_survive_a_restart_so_a_requested_reboot_is_not_requested_twice()
    {
        _node.Annotate("nodedaemon.io/desired-image", "quay.io/example/os@" + s_new);
        await SettleAsync(Loop());
        Assert.Equal(1, _host.Finalizations);

        // The daemon restarts before the machine went down: same boot id.
        var again = await SettleAsync(Loop());

        Assert.Equal(1, _host.Finalizations);
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
        _node.Annotate("nodedaemon.io/desired-image", "quay.io/example/os@" + s_new);
        var loop = Loop(s_window);

        var decisions = await SettleUntilWaitAsync(loop);

        var waiting = decisions[^1];
        Assert.Equal(AgentState.Staged, waiting.State);
        Assert.Equal(new AgentAction.Wait(_time.GetUtcNow().AddMinutes(10)), waiting.Action);
        Assert.EndsWith("waiting for the maintenance window (opens Wed 12:10 UTC, in 10 min)", waiting.Message, StringComparison.Ordinal);
        Assert.Equal(1, _host.Stages);
        Assert.False(_node.Unschedulable);
        Assert.Equal(AgentState.Staged, _node.Reports[^1].Phase);

        _time.Advance(TimeSpan.FromMinutes(9));
        Assert.IsType<AgentAction.Wait>((await loop.TurnAsync(CancellationToken.None)).Action);
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.IsType<AgentAction.Cordon>((await loop.TurnAsync(CancellationToken.None)).Action);
    }

    [Fact]
    public async Task The_running_loop_wakes_when_the_window_opens_without_an_idle_tick()
    {
        _node.Annotate("nodedaemon.io/desired-image", "quay.io/example/os@" + s_new);
        // A day-long idle tick: only the decision's Wait(opening) can wake the loop in time.
        var loop = new AgentLoop(
            _node, _host, NoSlotClient.Instance, new AgentRecordStore(_state.FullName, _time, NullLogger<AgentRecordStore>.Instance), new BootId(() => _bootId),
            s_window, _time, new AgentHeartbeat(_time), new StatusReporter(new RecordingNotifier()), NullLogger<AgentLoop>.Instance)
        {
            IdleTick = TimeSpan.FromDays(1),
        };
        using var stop = new CancellationTokenSource();
        var run = loop.RunAsync(stop.Token);
        try
        {
            await Eventually.HoldsAsync(() => loop.State == AgentState.Staged && _host.Stages == 1, "staged and waiting");
            Assert.False(_node.Unschedulable);

            _time.Advance(TimeSpan.FromMinutes(10));

            await Eventually.HoldsAsync(() => _host.Finalizations == 1, "the reboot after the window opened");
            Assert.Equal(1, _node.Drains);
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


    public void Dispose() => _state.Delete(recursive: true);
}
