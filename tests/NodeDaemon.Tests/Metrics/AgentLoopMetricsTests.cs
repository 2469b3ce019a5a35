using NodeDaemon.Agent;
using NodeDaemon.Core.Agent;
using NodeDaemon.Core.Cluster;
using NodeDaemon.Core.Options;
using NodeDaemon.Metrics;
using NodeDaemon.Tests.Agent;

namespace NodeDaemon.Tests.Metrics;

/// <summary>What the agent loop reports to its metrics seam as it stages, drains, reboots and fails.</summary>
public sealed class AgentLoopMetricsTests : IDisposable
{
    private const string DesiredKey = "nodedaemon.io/desired-image";
    private static readonly string s_new = "sha256:" + new string('2', 64);
    private readonly FakeAgentMetrics _metrics = new();
    private readonly AgentLoopWorld _world = new("nodedaemon-loop-metrics-");

    public void Dispose() => _world.Dispose();

    private AgentLoop Loop(NodeDaemonOptions? options = null) => _world.Loop(options, new LoopTuning(Metrics: _metrics));

    /// <summary>Runs turns until the loop has nothing to do now: nothing at all, or nothing before a deadline.</summary>
    private static async Task SettleAsync(AgentLoop loop)
    {
        for (var i = 0; i < 30; i++)
        {
            var decision = await loop.TurnAsync(CancellationToken.None);
            if (decision.Action is AgentAction.None or AgentAction.Wait)
            {
                return;
            }
        }

        throw new InvalidOperationException("the loop did not settle");
    }

    [Fact]
    public async Task Every_turn_tells_the_alert_series_about_our_cordon_and_a_rejected_image()
    {
        _world.Node.Annotate(DesiredKey, "quay.io/example/os@" + s_new);
        _world.Node.Annotate("nodedaemon.io/rejected-image", "quay.io/example/os@sha256:" + new string('9', 64));

        await SettleAsync(Loop());

        // The drain ran under our cordon; the rejected image is there from the first turn on.
        Assert.Contains(_metrics.Signals, s => s.CordonedByUs);
        Assert.False(_metrics.Signals[0].CordonedByUs);
        Assert.All(_metrics.Signals, s => Assert.Equal("quay.io/example/os@sha256:" + new string('9', 64), s.RejectedImage));
    }

    [Fact]
    public async Task An_update_reports_its_transitions_and_how_long_the_stage_the_drain_and_the_reboot_took()
    {
        _world.Node.Annotate(DesiredKey, "quay.io/example/os@" + s_new);
        _world.Host.WhileStaging = () => _world.Time.Advance(TimeSpan.FromSeconds(40));
        _world.Node.DrainOutcome = () =>
        {
            _world.Time.Advance(TimeSpan.FromSeconds(90));
            return new DrainResult(DrainOutcome.Drained, "drained", 1, 1, [], []);
        };

        await SettleAsync(Loop());
        // Shutdown, firmware and boot: the new process knows when the reboot was asked for only from the state file.
        _world.Time.Advance(TimeSpan.FromSeconds(150));
        _world.Host.Reboot();
        _world.BootId = "boot-2";
        await SettleAsync(Loop());

        Assert.Equal([TimeSpan.FromSeconds(40)], _metrics.Stages);
        Assert.Equal([TimeSpan.FromSeconds(90)], _metrics.Drains);
        Assert.Equal([TimeSpan.FromSeconds(150)], _metrics.Reboots);
        Assert.Empty(_metrics.Failures);
        Assert.Contains((AgentState.Draining, AgentState.Rebooting, AgentCondition.Working), _metrics.Transitions);
        Assert.Equal((AgentState.Idle, AgentCondition.Done), (_metrics.Transitions[^1].To, _metrics.Transitions[^1].Condition));
        // Only changes are transitions: no state follows itself.
        Assert.All(_metrics.Transitions, t => Assert.NotEqual(t.From, t.To));
        Assert.Equal(("quay.io/example/os", s_new), _metrics.Booted);
    }

    [Fact]
    public async Task A_failed_stage_a_failed_drain_and_a_failed_report_are_counted_by_kind()
    {
        _world.Node.Annotate(DesiredKey, "quay.io/example/os@" + s_new);
        _world.Host.FailNextStage = "error: pulling: 503 Service Unavailable";
        _world.Node.FailNextReport = new ClusterException("PATCH nodes/worker-1: connection refused");
        _world.Node.DrainOutcome = () => new DrainResult(DrainOutcome.TimedOut, "timed out", 0, 1, [], []);
        var loop = Loop();

        await SettleAsync(loop);
        _world.Time.Advance(TimeSpan.FromMinutes(5));
        await SettleAsync(loop);

        Assert.Equal([FailureKind.Api, FailureKind.Stage, FailureKind.Drain], _metrics.Failures);
        Assert.Empty(_metrics.Drains);
        Assert.Equal((AgentState.Degraded, AgentCondition.Degraded), (_metrics.Transitions[^1].To, _metrics.Transitions[^1].Condition));
    }

    [Fact]
    public async Task A_reboot_that_comes_back_on_the_old_image_is_a_verify_failure()
    {
        _world.Node.Annotate(DesiredKey, "quay.io/example/os@" + s_new);
        var options = new NodeDaemonOptions { Reboot = new RebootOptions { MaxAttempts = 1 } };
        await SettleAsync(Loop(options));

        // The staged deployment is lost: the host boots the old image again.
        _world.Host.Staged = null;
        _world.BootId = "boot-2";
        await SettleAsync(Loop(options));

        Assert.Equal([FailureKind.Verify], _metrics.Failures);
        Assert.Empty(_metrics.Reboots);
    }
}
