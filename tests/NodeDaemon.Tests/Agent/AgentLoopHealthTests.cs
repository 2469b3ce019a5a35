using NodeDaemon.Core.Agent;
using NodeDaemon.Core.Cluster;
using NodeDaemon.Core.Health;
using NodeDaemon.Core.Images;
using NodeDaemon.Core.Options;
using static NodeDaemon.Tests.Agent.AgentLoopWorld;

namespace NodeDaemon.Tests.Agent;

/// <summary>The loop with the health gate on: the gate asked after our reboot, the rollback carried out once, the rejected image reported.</summary>
public sealed class AgentLoopHealthTests : IDisposable
{
    private static readonly string s_old = "sha256:" + new string('1', 64);
    private static readonly string s_new = "sha256:" + new string('2', 64);
    private static readonly NodeDaemonOptions s_gate = new() { Health = new HealthOptions { Timeout = TimeSpan.FromMinutes(10), KeepCordonAfterRollback = false } };
    private readonly AgentLoopWorld _world = new("nodedaemon-loop-health-");
    private readonly ScriptedGate _gate = new();

    public void Dispose() => _world.Dispose();

    private NodeDaemon.Agent.AgentLoop Loop() => _world.Loop(s_gate, new LoopTuning(HealthGate: _gate));

    [Fact]
    public async Task A_failed_gate_rolls_back_once_reboots_through_the_host_and_ends_degraded_with_the_image_rejected()
    {
        _world.Node.Annotate("nodedaemon.io/desired-image", "quay.io/example/os@" + s_new);
        await SettleAsync(Loop());
        _world.Host.Reboot();
        _world.BootId = "boot-2";

        // Booted into the target: the gate waits, then fails; the loop rolls back (one Rollback, asked of the host).
        _gate.Answers.Enqueue(new HealthVerdict.Waiting("waiting for kubelet Ready (9 min left)"));
        _gate.Answers.Enqueue(new HealthVerdict.Failed("kubelet not Ready 600 s after boot"));
        var loop = Loop();
        var waiting = await TurnUntilAsync(loop, d => d.Action is AgentAction.Wait);
        Assert.Equal("waiting for kubelet Ready (9 min left)", waiting[^1].Message);
        Assert.True(_world.Node.Unschedulable);
        _world.Time.Advance(TimeSpan.FromSeconds(10));
        await SettleAsync(loop);
        Assert.Equal(1, _world.Host.Rollbacks);
        Assert.Contains(_world.Node.Events, e => e.Kind == NodeEventKind.RollingBack);

        // The rollback boot: the previous image, the gate passes on it, Degraded with the reason, the mark reported.
        _world.Host.Reboot();
        _world.BootId = "boot-3";
        _gate.Answers.Enqueue(new HealthVerdict.Passed());
        var after = await SettleAsync(Loop());

        Assert.Equal(Digest.Parse(s_old), _world.Host.Booted.ImageDigest);
        Assert.Equal(1, _world.Host.Rollbacks);
        Assert.Equal(AgentState.Degraded, after[^1].State);
        var last = _world.Node.Reports[^1];
        Assert.Equal($"rolled back from quay.io/example/os@{s_new}: kubelet not Ready 600 s after boot", last.Reason);
        Assert.Equal("quay.io/example/os@" + s_new, last.RejectedImage);
        Assert.False(_world.Node.Unschedulable);

        // A restart of the daemon afterwards does not stage the image again.
        var restarted = await SettleAsync(Loop());
        Assert.Equal(AgentState.Degraded, restarted[^1].State);
        Assert.Equal(1, _world.Host.Stages);
        Assert.Equal(Digest.Parse(s_new), _world.Store().Load().Rejected?.Digest);
    }

    [Fact]
    public async Task The_running_loop_asks_the_gate_when_the_nodes_Ready_flips_not_at_the_recheck()
    {
        _world.Node.Annotate("nodedaemon.io/desired-image", "quay.io/example/os@" + s_new);
        await SettleAsync(Loop());
        _world.Host.Reboot();
        _world.BootId = "boot-2";
        var notReady = new NodeReadyCondition("False", _world.Time.GetUtcNow(), _world.Time.GetUtcNow(), "KubeletNotReady", "container runtime status check may not have completed yet");
        _world.Node.PostReady(notReady);
        _gate.Answers.Enqueue(new HealthVerdict.Waiting("waiting for kubelet Ready (10 min left)"));
        _gate.Answers.Enqueue(new HealthVerdict.Passed());

        using var stop = new CancellationTokenSource();
        var run = Loop().RunAsync(stop.Token);
        try
        {
            await Eventually.HoldsAsync(() => _gate.Asked.Count == 1, "the first ask after the boot");
            Assert.Equal(new WatchedReady(notReady), _gate.Asked[0].Watched);

            // The kubelet posts Ready; the fake clock stands still, so only the node watch can bring the second ask.
            var ready = notReady with { Status = "True", Reason = "KubeletReady", Message = "kubelet is posting ready status" };
            _world.Node.PostReady(ready);
            await Eventually.HoldsAsync(() => !_world.Node.Unschedulable, "the uncordon after the gate passed");

            Assert.Equal(2, _gate.Asked.Count);
            Assert.Equal(new WatchedReady(ready), _gate.Asked[1].Watched);
        }
        finally
        {
            await stop.CancelAsync();
            await run.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
        }
    }

    [Fact]
    public async Task A_new_waiting_line_of_the_gate_alone_is_written_as_a_progress_line_at_most_once_per_interval()
    {
        _world.Node.Annotate("nodedaemon.io/desired-image", "quay.io/example/os@" + s_new);
        await SettleAsync(Loop());
        _world.Host.Reboot();
        _world.BootId = "boot-2";
        string[] lines = ["waiting for kubelet Ready since this boot (its Ready is from before the boot) (10 min left)", "waiting for kubelet Ready (10 min left)", "waiting for kubelet Ready (9 min left)"];
        foreach (var line in lines)
        {
            _gate.Answers.Enqueue(new HealthVerdict.Waiting(line));
        }

        _gate.Answers.Enqueue(new HealthVerdict.Passed());
        var loop = Loop();

        // The first line is the phase's report; the second, 10 s later, changes only the words; the third comes when
        // the last write is older than progressIntervalSeconds (30 s by default), as a pull's or a drain's line would.
        await TurnUntilAsync(loop, d => d is { State: AgentState.Verifying, Action: AgentAction.Wait });
        _world.Time.Advance(TimeSpan.FromSeconds(10));
        await TurnUntilAsync(loop, d => d is { State: AgentState.Verifying, Action: AgentAction.Wait } && d.Message == lines[1]);
        _world.Time.Advance(TimeSpan.FromSeconds(30));
        await TurnUntilAsync(loop, d => d is { State: AgentState.Verifying, Action: AgentAction.Wait } && d.Message == lines[2]);
        _world.Time.Advance(TimeSpan.FromSeconds(10));
        await SettleAsync(loop);

        Assert.Equal([lines[0], lines[2]], _world.Node.Reports.Where(r => r.Phase == AgentState.Verifying).Select(r => r.Message));
        Assert.False(_world.Node.Unschedulable);
    }

    /// <summary>A gate that answers from a queue, and Waiting when it runs dry; remembers what it was asked.</summary>
    private sealed class ScriptedGate : IHealthGate
    {
        public Queue<HealthVerdict> Answers { get; } = new();

        public List<HealthCheckContext> Asked { get; } = [];

        public ValueTask<HealthVerdict> CheckAsync(HealthCheckContext context, CancellationToken cancellationToken)
        {
            lock (Asked)
            {
                Asked.Add(context);
            }

            return ValueTask.FromResult(Answers.TryDequeue(out var answer) ? answer : new HealthVerdict.Waiting("no answer scripted"));
        }
    }
}
