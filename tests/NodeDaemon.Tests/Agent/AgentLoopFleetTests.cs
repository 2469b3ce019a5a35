using NodeDaemon.Agent;
using NodeDaemon.Core.Agent;
using NodeDaemon.Core.Cluster;
using NodeDaemon.Core.Fleet;
using NodeDaemon.Core.Options;
using NodeDaemon.Core.Tests.Fleet;
using NodeDaemon.Tests.Metrics;
using static NodeDaemon.Tests.Agent.AgentLoopWorld;

namespace NodeDaemon.Tests.Agent;

/// <summary>The loop taking turns through a fake slot seam: waiting, halts, a slot held across a reboot, giving it back.</summary>
public sealed class AgentLoopFleetTests : IDisposable
{
    private const string DesiredKey = "nodedaemon.io/desired-image";
    private const string PoolLabel = NodeDaemonOptionsDefaults.PoolLabel;
    private static readonly string s_new = "sha256:" + new string('2', 64);
    private static readonly SlotMember s_me = new("worker-1", "");
    private static readonly SlotMember s_other = new("worker-0", "");
    private static readonly NodeDaemonOptions s_fleet = new() { NodeName = "worker-1", Fleet = new FleetOptions { Enabled = true } };
    private static readonly TimeSpan s_recheck = TimeSpan.FromSeconds(15);
    private readonly FakeSlotClient _slots = new(slots: 1);
    private readonly FakeAgentMetrics _metrics = new();
    private readonly AgentLoopWorld _world;

    public AgentLoopFleetTests()
    {
        _world = new AgentLoopWorld("nodedaemon-loop-fleet-", _slots);
        _world.Node.Label(PoolLabel, "");
        _world.Node.Annotate(DesiredKey, "quay.io/example/os@" + s_new);
    }

    public void Dispose() => _world.Dispose();

    private AgentLoop Loop(NodeDaemonOptions? options = null) => _world.Loop(options ?? s_fleet, new LoopTuning(SlotRecheck: s_recheck, Metrics: _metrics));

    [Fact]
    public async Task A_full_pool_is_waited_out_on_a_timer_and_the_slot_taken_when_freed()
    {
        await _slots.AcquireAsync(new SlotRequest(s_other, s_new), CancellationToken.None);
        var loop = Loop();
        var before = _slots.Acquires;

        var waiting = await TurnUntilAsync(loop, d => d.Action is AgentAction.Wait);

        Assert.Equal(AgentState.WaitingForSlot, waiting[^1].State);
        Assert.Equal("waiting for a slot: the pool's one slot is held", waiting[^1].Message);
        Assert.Equal((AgentCondition.Working, AgentState.WaitingForSlot, "waiting for a slot: the pool's one slot is held", ""),
            (_world.Node.Reports[^1].State, _world.Node.Reports[^1].Phase, _world.Node.Reports[^1].Message, _world.Node.Reports[^1].Reason));
        Assert.False(_world.Node.Unschedulable);
        Assert.Equal(before + 1, _slots.Acquires);
        // The answer is the one report of the request: no "staged; waiting for a slot" written just before it.
        Assert.Single(_world.Node.Reports, r => r.Phase == AgentState.WaitingForSlot);

        // Turns before the recheck ask nothing of the API.
        await loop.TurnAsync(CancellationToken.None);
        await loop.TurnAsync(CancellationToken.None);
        Assert.Equal(before + 1, _slots.Acquires);

        await _slots.ReleaseAsync(s_other, CancellationToken.None);
        _world.Time.Advance(2 * s_recheck);
        var rest = await TurnUntilAsync(loop, Resting);

        Assert.Equal(before + 2, _slots.Acquires);
        Assert.Equal(["worker-1"], _slots.Holders(""));
        Assert.Equal(s_new, _slots.DigestOf(s_me));
        Assert.Equal(1, _world.Host.Finalizations);
        Assert.Empty(_metrics.Failures);
    }

    [Fact]
    public async Task A_halted_pool_is_reported_with_the_Degraded_nodes_and_is_no_failure()
    {
        _slots.SetDegraded(s_other, s_new);

        var waiting = await TurnUntilAsync(Loop(), d => d.Action is AgentAction.Wait);

        var last = _world.Node.Reports[^1];
        Assert.Equal((AgentCondition.Working, AgentState.WaitingForSlot, ""), (last.State, last.Phase, last.Reason));
        Assert.Equal($"pool halted: 1 node Degraded on {s_new}: worker-0", last.Message);
        Assert.Equal(last.Message, waiting[^1].Message);
        Assert.False(_world.Node.Unschedulable);
        Assert.Empty(_slots.Holders(""));
        Assert.Empty(_metrics.Failures);
    }

    [Fact]
    public async Task The_slot_is_held_across_the_reboot_and_handed_on_after_Done_without_a_renewal_first()
    {
        await TurnUntilAsync(Loop(), Resting);
        Assert.Equal(["worker-1"], _slots.Holders(""));
        Assert.Equal(0, _slots.Renews);

        _world.Host.Reboot();
        _world.BootId = "boot-2";
        var loop = Loop();
        var after = await TurnUntilAsync(loop, Resting);
        await loop.TurnAsync(CancellationToken.None);

        Assert.Equal([typeof(AgentAction.CompleteVerification), typeof(AgentAction.Uncordon), typeof(AgentAction.ReleaseSlot), typeof(AgentAction.None)],
            after.Select(d => d.Action.GetType()));
        Assert.Equal(2, _slots.HoldsQuestions); // once per start, never per turn
        // Back on the desired image it gives the slot on in a moment, and that write says it is alive.
        Assert.Equal(0, _slots.Renews);
        Assert.Equal(1, _slots.Releases);
        Assert.Empty(_slots.Holders(""));
        Assert.False(_world.Node.Unschedulable);
        // Done is never shown on a node we cordon: it first appears in the uncordon's own write, and the release and
        // the rest after it need no write (the same line).
        var firstDone = _world.Node.Reports.FindIndex(r => r.State == AgentCondition.Done);
        Assert.Same(_world.Node.Reports[firstDone], Assert.Single(_world.Node.UncordonReports));
        Assert.Equal(firstDone, _world.Node.Reports.Count - 1);
        Assert.All(_world.Node.Reports.Take(firstDone), r => Assert.Equal(AgentCondition.Working, r.State));
    }

    [Fact]
    public async Task A_restart_while_waiting_to_cordon_asks_for_the_slot_again_before_the_cordon()
    {
        var first = Loop();
        await TurnUntilAsync(first, d => d.Action is AgentAction.AcquireSlot);
        Assert.Equal(1, _slots.Acquires);

        // A new process: it learns that it holds a slot, but not which digest the slot names, so it asks again (Held).
        var decisions = await TurnUntilAsync(Loop(), d => d.Action is AgentAction.Cordon);

        Assert.Equal([typeof(AgentAction.AcquireSlot), typeof(AgentAction.Cordon)], decisions.Select(d => d.Action.GetType()));
        Assert.Equal(2, _slots.Acquires);
        Assert.Equal(["worker-1"], _slots.Holders(""));
    }

    [Fact]
    public async Task A_failed_drain_drops_our_stage_then_gives_back_the_cordon_and_then_the_slot()
    {
        _world.Node.DrainOutcome = () => new DrainResult(DrainOutcome.TimedOut, "waiting on default/web-2 (PDB web)", 3, 4, ["default/web-2"], ["web"]);

        var decisions = await TurnUntilAsync(Loop(), d => d.Action is AgentAction.None);

        Assert.Equal(AgentState.Degraded, decisions[^1].State);
        var giveBack = decisions.SkipWhile(d => d.Action is not AgentAction.Drain).Skip(1).Select(d => d.Action.GetType());
        Assert.Equal([typeof(AgentAction.CleanupStaged), typeof(AgentAction.Uncordon), typeof(AgentAction.ReleaseSlot), typeof(AgentAction.None)], giveBack);
        Assert.Null(_world.Host.Staged);
        Assert.Empty(_slots.Holders(""));
        Assert.Equal(1, _slots.Releases);
        Assert.False(_world.Node.Unschedulable);
        Assert.Equal(0, _world.Host.Finalizations);
    }

    [Fact]
    public async Task A_node_without_the_pool_label_stages_and_waits_without_asking_the_pool()
    {
        _world.Node.Label(PoolLabel, null);
        var loop = Loop();

        var decisions = await TurnUntilAsync(loop, d => d.Action is AgentAction.None);

        Assert.Equal(AgentState.WaitingForSlot, decisions[^1].State);
        Assert.Contains($"not in a pool: label {PoolLabel} missing; fleet coordination needs it", _world.Node.Reports[^1].Message, StringComparison.Ordinal);
        Assert.Equal(AgentCondition.Working, _world.Node.Reports[^1].State);
        Assert.Equal(1, _world.Host.Stages);
        Assert.Equal((0, 0), (_slots.Acquires, _slots.HoldsQuestions));
        Assert.False(_world.Node.Unschedulable);
    }

    [Fact]
    public async Task Fleet_off_never_touches_the_slot_seam()
    {
        var decisions = await TurnUntilAsync(Loop(new NodeDaemonOptions { NodeName = "worker-1" }), Resting);

        Assert.DoesNotContain(decisions, d => d.State == AgentState.WaitingForSlot);
        Assert.Equal((0, 0, 0, 0), (_slots.Acquires, _slots.HoldsQuestions, _slots.Renews, _slots.Releases));
        Assert.Equal(1, _world.Host.Finalizations);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_slot_handed_over_or_freed_ends_the_wait_at_once_and_the_watch_runs_on_while_the_slot_is_held(bool handedOver)
    {
        await _slots.AcquireAsync(new SlotRequest(s_other, s_new), CancellationToken.None);
        var loop = Loop();
        using var stop = new CancellationTokenSource();
        var run = loop.RunAsync(stop.Token);
        try
        {
            await Eventually.HoldsAsync(() => _slots.Watches == 1 && _world.Node.Reports.LastOrDefault()?.Phase == AgentState.WaitingForSlot, "the wait");

            // The fake clock stands still: only the watch's news can wake the loop before its recheck.
            if (handedOver)
            {
                _slots.HandOver(s_other, s_me, s_new);
            }
            else
            {
                await _slots.ReleaseAsync(s_other, CancellationToken.None);
            }

            await Eventually.HoldsAsync(() => _world.Host.Finalizations == 1, "the reboot");
            Assert.Equal(["worker-1"], _slots.Holders(""));
            // Until the release: a second slot handed to us before our cordon showed is handed on from it.
            Assert.Equal(1, _slots.Watches);
        }
        finally
        {
            await stop.CancelAsync();
            await run.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
        }
    }

    [Fact]
    public async Task A_holder_whose_reboot_did_not_bring_the_image_renews_its_slot_at_start()
    {
        await TurnUntilAsync(Loop(), Resting);

        _world.Host.Reboot(loseStage: true);
        _world.BootId = "boot-2";
        var loop = Loop();
        await loop.TurnAsync(CancellationToken.None);
        await loop.TurnAsync(CancellationToken.None);

        // Renewed before anything else: it is not done (here it gives the slot back to stage again, cordon lifted first).
        Assert.Equal(1, _slots.Renews);
    }
}
