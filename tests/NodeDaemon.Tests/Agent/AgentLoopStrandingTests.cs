using NodeDaemon.Agent;
using NodeDaemon.Core.Agent;
using NodeDaemon.Core.Cluster;
using NodeDaemon.Core.Host;
using NodeDaemon.Core.Options;
using NodeDaemon.State;
using static NodeDaemon.Tests.Agent.AgentLoopWorld;

namespace NodeDaemon.Tests.Agent;

/// <summary>The loop never strands a node: a full disk, a desired image set back mid-drain.</summary>
public sealed class AgentLoopStrandingTests : IDisposable
{
    private static readonly string s_old = "sha256:" + new string('1', 64);
    private static readonly string s_new = "sha256:" + new string('2', 64);
    private readonly AgentLoopWorld _world = new("nodedaemon-strand-");

    /// <summary>Every later write of the notes fails the way a full disk does: the temporary file cannot be created.</summary>
    private void FillTheDisk() => Directory.CreateDirectory(Path.Combine(_world.State.FullName, AgentRecordStore.FileName + ".tmp"));

    private void FreeTheDisk() => Directory.Delete(Path.Combine(_world.State.FullName, AgentRecordStore.FileName + ".tmp"));

    [Fact]
    public async Task A_full_disk_after_the_reboot_still_gives_the_node_back_Done()
    {
        _world.Node.Annotate("nodedaemon.io/desired-image", "quay.io/example/os@" + s_new);
        await TurnUntilAsync(_world.Loop(), d => d is { State: AgentState.Rebooting, Action: AgentAction.Wait });
        _world.Host.Reboot();
        _world.BootId = "boot-2";
        FillTheDisk();

        var after = await TurnUntilAsync(_world.Loop(), d => d.Action is AgentAction.None);

        Assert.False(_world.Node.Unschedulable);
        Assert.Equal((AgentCondition.Done, AgentState.Idle), (_world.Node.Reports[^1].State, _world.Node.Reports[^1].Phase));
        Assert.Equal(1, _world.Host.Finalizations);
        Assert.Contains(after, d => d.Action is AgentAction.CompleteVerification);
    }

    [Fact]
    public async Task A_full_disk_at_the_finalize_never_reboots_and_never_leaves_the_node_Rebooting()
    {
        _world.Node.Annotate("nodedaemon.io/desired-image", "quay.io/example/os@" + s_new);
        var loop = _world.Loop();
        await TurnUntilAsync(loop, d => d.Action is AgentAction.Drain);
        FillTheDisk();

        var held = await TurnUntilAsync(loop, d => d.Action is AgentAction.Wait);

        Assert.Contains(held, d => d.Action is AgentAction.Finalize);
        Assert.Equal(0, _world.Host.Finalizations);
        Assert.False(_world.Node.Unschedulable);
        var report = _world.Node.Reports[^1];
        Assert.Equal((AgentCondition.Degraded, AgentState.Degraded), (report.State, report.Phase));
        Assert.Contains("cannot write the daemon's notes", report.Reason, StringComparison.Ordinal);

        // Room again: the write succeeds on the next turn, and the update goes on from where it was.
        FreeTheDisk();
        _world.Time.Advance(Decider.NotesRetry);
        await TurnUntilAsync(loop, d => d is { State: AgentState.Rebooting, Action: AgentAction.Wait });

        Assert.Equal(1, _world.Host.Finalizations);
        Assert.Equal(2, _world.Node.Drains);
    }

    [Fact]
    public async Task A_finalization_without_an_answer_fails_the_turn_and_is_asked_again_as_the_same_attempt()
    {
        // rpm-ostreed died inside FinalizeDeployment: no answer is not an accepted reboot, and not a refusal either.
        _world.Node.Annotate("nodedaemon.io/desired-image", "quay.io/example/os@" + s_new);
        var loop = _world.Loop(new NodeDaemonOptions { Reboot = new RebootOptions { MaxAttempts = 1 } });
        await TurnUntilAsync(loop, d => d.Action is AgentAction.Drain);
        _world.Host.FailNextFinalize = new HostException(HostErrorKind.Unavailable, "rpm-ostreed went away during FinalizeDeployment without answering");

        await Assert.ThrowsAsync<HostException>(() => loop.TurnAsync(CancellationToken.None));
        var record = _world.Store().Load();
        Assert.Equal((1, false, null), (record.Reboot!.Attempts, record.Reboot.Accepted, record.Reboot.Refusal));

        var after = await TurnUntilAsync(loop, d => d is { State: AgentState.Rebooting, Action: AgentAction.Wait });
        Assert.Equal(2, _world.Host.Finalizations);
        Assert.DoesNotContain(after, d => d.State == AgentState.Degraded);
    }

    [Fact]
    public async Task Desired_set_back_mid_drain_stops_the_drain_at_once_drops_our_stage_and_reports_Done_without_a_reboot()
    {
        var started = new TaskCompletionSource();
        var cancelled = new TaskCompletionSource();
        _world.Node.Draining = async token =>
        {
            started.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, token);
            }
            catch (OperationCanceledException)
            {
                cancelled.TrySetResult();
                throw;
            }

            throw new InvalidOperationException("unreachable");
        };
        _world.Node.Annotate("nodedaemon.io/desired-image", "quay.io/example/os@" + s_new);
        using var stop = new CancellationTokenSource();
        var run = _world.Loop().RunAsync(stop.Token);
        try
        {
            await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
            _world.Node.Annotate("nodedaemon.io/desired-image", "quay.io/example/os@" + s_old);

            await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(30));
            await Eventually.HoldsAsync(() => _world.Host.Staged is null && !_world.Node.Unschedulable && _world.Node.Reports[^1].State == AgentCondition.Done, "given back");
        }
        finally
        {
            await stop.CancelAsync();
            await run.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
        }

        Assert.Equal(0, _world.Host.Finalizations);
        Assert.Equal(1, _world.Node.Drains);
        Assert.DoesNotContain("nodedaemon.io/cordoned-by", _world.Node.Annotations.Keys);
    }

    public void Dispose() => _world.Dispose();
}
