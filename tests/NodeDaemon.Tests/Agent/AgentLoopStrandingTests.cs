using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using NodeDaemon.Agent;
using NodeDaemon.Core.Agent;
using NodeDaemon.Core.Cluster;
using NodeDaemon.Core.Fleet;
using NodeDaemon.Core.Host;
using NodeDaemon.Core.Options;
using NodeDaemon.State;
using NodeDaemon.Systemd;
using NodeDaemon.Tests.Systemd;

namespace NodeDaemon.Tests.Agent;

/// <summary>The loop never strands a node: a full disk, a desired image set back mid-drain.</summary>
public sealed class AgentLoopStrandingTests : IDisposable
{
    private static readonly string s_old = "sha256:" + new string('1', 64);
    private static readonly string s_new = "sha256:" + new string('2', 64);
    private readonly DirectoryInfo _state = Directory.CreateTempSubdirectory("nodedaemon-strand-");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
    private readonly FakeNodeClient _node = new();
    private readonly FakeHostSystem _host = new();
    private string _bootId = "boot-1";

    private sealed class BootId(Func<string> read) : IBootIdSource
    {
        public string Read() => read();
    }

    private AgentLoop Loop() => new(
        _node, _host, NoSlotClient.Instance, new AgentRecordStore(_state.FullName, _time, NullLogger<AgentRecordStore>.Instance), new BootId(() => _bootId),
        new NodeDaemonOptions(), _time, new AgentHeartbeat(_time), new StatusReporter(new RecordingNotifier()), NullLogger<AgentLoop>.Instance);

    /// <summary>Every later write of the notes fails the way a full disk does: the temporary file cannot be created.</summary>
    private void FillTheDisk() => Directory.CreateDirectory(Path.Combine(_state.FullName, AgentRecordStore.FileName + ".tmp"));

    private void FreeTheDisk() => Directory.Delete(Path.Combine(_state.FullName, AgentRecordStore.FileName + ".tmp"));

    private static async Task<List<Decision>> TurnUntilAsync(AgentLoop loop, Func<Decision, bool> until)
    {
        var decisions = new List<Decision>();
        for (var i = 0; i < 30; i++)
        {
            var decision = await loop.TurnAsync(CancellationToken.None);
            decisions.Add(decision);
            if (until(decision))
            {
                return decisions;
            }
        }

        throw new InvalidOperationException("the loop did not get there: " + string.Join(" | ", decisions.Select(d => d.Action)));
    }

    [Fact]
    public async Task A_full_disk_after_the_reboot_still_gives_the_node_back_Done()
    {
        _node.Annotate("nodedaemon.io/desired-image", "quay.io/example/os@" + s_new);
        await TurnUntilAsync(Loop(), d => d is { State: AgentState.Rebooting, Action: AgentAction.Wait });
        _host.Reboot();
        _bootId = "boot-2";
        FillTheDisk();

        var after = await TurnUntilAsync(Loop(), d => d.Action is AgentAction.None);

        Assert.False(_node.Unschedulable);
        Assert.Equal((AgentCondition.Done, AgentState.Idle), (_node.Reports[^1].State, _node.Reports[^1].Phase));
        Assert.Equal(1, _host.Finalizations);
        Assert.Contains(after, d => d.Action is AgentAction.CompleteVerification);
    }

    [Fact]
    public async Task A_full_disk_at_the_finalize_never_reboots_and_never_leaves_the_node_Rebooting()
    {
        _node.Annotate("nodedaemon.io/desired-image", "quay.io/example/os@" + s_new);
        var loop = Loop();
        await TurnUntilAsync(loop, d => d.Action is AgentAction.Drain);
        FillTheDisk();

        var held = await TurnUntilAsync(loop, d => d.Action is AgentAction.Wait);

        Assert.Contains(held, d => d.Action is AgentAction.Finalize);
        Assert.Equal(0, _host.Finalizations);
        Assert.False(_node.Unschedulable);
        var report = _node.Reports[^1];
        Assert.Equal((AgentCondition.Degraded, AgentState.Degraded), (report.State, report.Phase));
        Assert.Contains("cannot write the daemon's notes", report.Reason, StringComparison.Ordinal);

        // Room again: the write succeeds on the next turn, and the update goes on from where it was.
        FreeTheDisk();
        _time.Advance(Decider.NotesRetry);
        await TurnUntilAsync(loop, d => d is { State: AgentState.Rebooting, Action: AgentAction.Wait });

        Assert.Equal(1, _host.Finalizations);
        Assert.Equal(2, _node.Drains);
    }

    [Fact]
    public async Task A_finalization_without_an_answer_fails_the_turn_and_is_asked_again_as_the_same_attempt()
    {
        // rpm-ostreed died inside FinalizeDeployment: no answer is not an accepted reboot, and not a refusal either.
        _node.Annotate("nodedaemon.io/desired-image", "quay.io/example/os@" + s_new);
        var loop = new AgentLoop(
            _node, _host, NoSlotClient.Instance, new AgentRecordStore(_state.FullName, _time, NullLogger<AgentRecordStore>.Instance), new BootId(() => _bootId),
            new NodeDaemonOptions { Reboot = new RebootOptions { MaxAttempts = 1 } }, _time, new AgentHeartbeat(_time),
            new StatusReporter(new RecordingNotifier()), NullLogger<AgentLoop>.Instance);
        await TurnUntilAsync(loop, d => d.Action is AgentAction.Drain);
        _host.FailNextFinalize = new HostException(HostErrorKind.Unavailable, "rpm-ostreed went away during FinalizeDeployment without answering");

        await Assert.ThrowsAsync<HostException>(() => loop.TurnAsync(CancellationToken.None));
        var record = new AgentRecordStore(_state.FullName, _time, NullLogger<AgentRecordStore>.Instance).Load();
        Assert.Equal((1, false, null), (record.Reboot!.Attempts, record.Reboot.Accepted, record.Reboot.Refusal));

        var after = await TurnUntilAsync(loop, d => d is { State: AgentState.Rebooting, Action: AgentAction.Wait });
        Assert.Equal(2, _host.Finalizations);
        Assert.DoesNotContain(after, d => d.State == AgentState.Degraded);
    }

    [Fact]
    public async Task Desired_set_back_mid_drain_stops_the_drain_at_once_drops_our_stage_and_reports_Done_without_a_reboot()
    {
        var started = new TaskCompletionSource();
        var cancelled = new TaskCompletionSource();
        _node.Draining = async token =>
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
        _node.Annotate("nodedaemon.io/desired-image", "quay.io/example/os@" + s_new);
        using var stop = new CancellationTokenSource();
        var run = Loop().RunAsync(stop.Token);
        try
        {
            await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
            _node.Annotate("nodedaemon.io/desired-image", "quay.io/example/os@" + s_old);

            await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(30));
            await Eventually.HoldsAsync(() => _host.Staged is null && !_node.Unschedulable && _node.Reports[^1].State == AgentCondition.Done, "given back");
        }
        finally
        {
            await stop.CancelAsync();
            await run.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
        }

        Assert.Equal(0, _host.Finalizations);
        Assert.Equal(1, _node.Drains);
        Assert.DoesNotContain("nodedaemon.io/cordoned-by", _node.Annotations.Keys);
    }

    public void Dispose() => _state.Delete(recursive: true);
}
