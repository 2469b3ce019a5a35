using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using NodeDaemon.Agent;
using NodeDaemon.Core.Agent;
using NodeDaemon.Core.Cluster;
using NodeDaemon.Core.Fleet;
using NodeDaemon.Core.Options;
using NodeDaemon.Metrics;
using NodeDaemon.State;
using NodeDaemon.Systemd;
using NodeDaemon.Tests.Agent;
using NodeDaemon.Tests.Systemd;

namespace NodeDaemon.Tests.Metrics;

/// <summary>What the agent loop reports to its metrics seam as it stages, drains, reboots and fails.</summary>
public sealed class AgentLoopMetricsTests : IDisposable
{
    private const string DesiredKey = "nodedaemon.io/desired-image";
    private static readonly string s_new = "sha256:" + new string('2', 64);
    private readonly DirectoryInfo _state = Directory.CreateTempSubdirectory("nodedaemon-loop-metrics-");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
    private readonly FakeNodeClient _node = new();
    private readonly FakeHostSystem _host = new();
    private readonly FakeAgentMetrics _metrics = new();
    private string _bootId = "boot-1";

    public void Dispose() => _state.Delete(recursive: true);

    private sealed class BootId(Func<string> read) : IBootIdSource
    {
        public string Read() => read();
    }

    private AgentLoop Loop(NodeDaemonOptions? options = null) => new(
        _node, _host, NoSlotClient.Instance, new AgentRecordStore(_state.FullName, _time, NullLogger<AgentRecordStore>.Instance), new BootId(() => _bootId),
        options ?? new NodeDaemonOptions(), _time, new AgentHeartbeat(_time), new StatusReporter(new RecordingNotifier()),
        NullLogger<AgentLoop>.Instance)
    {
        Metrics = _metrics,
    };

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
    public async Task An_update_reports_its_transitions_and_how_long_the_stage_the_drain_and_the_reboot_took()
    {
        _node.Annotate(DesiredKey, "quay.io/example/os@" + s_new);
        _host.WhileStaging = () => _time.Advance(TimeSpan.FromSeconds(40));
        _node.DrainOutcome = () =>
        {
            _time.Advance(TimeSpan.FromSeconds(90));
            return new DrainResult(DrainOutcome.Drained, "drained", 1, 1, [], []);
        };

        await SettleAsync(Loop());
        // Shutdown, firmware and boot: the new process knows when the reboot was asked for only from the state file.
        _time.Advance(TimeSpan.FromSeconds(150));
        _host.Reboot();
        _bootId = "boot-2";
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
        _node.Annotate(DesiredKey, "quay.io/example/os@" + s_new);
        _host.FailNextStage = "error: pulling: 503 Service Unavailable";
        _node.FailNextReport = new ClusterException("PATCH nodes/worker-1: connection refused");
        _node.DrainOutcome = () => new DrainResult(DrainOutcome.TimedOut, "timed out", 0, 1, [], []);
        var loop = Loop();

        await SettleAsync(loop);
        _time.Advance(TimeSpan.FromMinutes(5));
        await SettleAsync(loop);

        Assert.Equal([FailureKind.Api, FailureKind.Stage, FailureKind.Drain], _metrics.Failures);
        Assert.Empty(_metrics.Drains);
        Assert.Equal((AgentState.Degraded, AgentCondition.Degraded), (_metrics.Transitions[^1].To, _metrics.Transitions[^1].Condition));
    }

    [Fact]
    public async Task A_reboot_that_comes_back_on_the_old_image_is_a_verify_failure()
    {
        _node.Annotate(DesiredKey, "quay.io/example/os@" + s_new);
        var options = new NodeDaemonOptions { Reboot = new RebootOptions { MaxAttempts = 1 } };
        await SettleAsync(Loop(options));

        // The staged deployment is lost: the host boots the old image again.
        _host.Staged = null;
        _bootId = "boot-2";
        await SettleAsync(Loop(options));

        Assert.Equal([FailureKind.Verify], _metrics.Failures);
        Assert.Empty(_metrics.Reboots);
    }
}
