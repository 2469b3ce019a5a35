using NodeDaemon.Core.Agent;
using NodeDaemon.Core.Cluster;
using NodeDaemon.Core.Host;
using NodeDaemon.Metrics;

namespace NodeDaemon.Agent;

/// <summary>The agent loop's reports on its node: written only when they say something new, with a cordon's write when there is one.</summary>
/// <remarks>Writes are serialized: one gate covers every report and cordon write, and a progress line written while an
/// action runs is awaited before the turn ends, so a late progress line can never land after (and overwrite) the next
/// turn's report, and the memory of what was written is never updated by two writers at once.</remarks>
public sealed partial class AgentLoop
{
    private readonly Lock _progressLock = new();
    // The write gate: each write waits for the one before it (a chain, so nothing to dispose).
    private Task _lastWriteDone = Task.CompletedTask;
    private Task _progressWrite = Task.CompletedTask;
    private CancellationToken _turnToken;

    private void OnProgress(Decision decision, HostStatus hostStatus, string line)
    {
        // Long actions beat on progress: a pull or a drain that moves is a live loop.
        heartbeat.Beat();
        status.Report(decision.State.ToString(), line);
        var now = time.GetUtcNow();
        if (now - _lastWrite < ProgressReportInterval)
        {
            return;
        }

        // At most one annotation write per interval (a pull signals many times a second), and one at a time: a line
        // that comes while the previous one is still being written waits for the next signal.
        lock (_progressLock)
        {
            if (_progressWrite.IsCompleted)
            {
                _progressWrite = ReportAsync(decision, hostStatus, line, _turnToken);
            }
        }
    }

    /// <summary>Waits for a progress line still being written (its failure was logged by <see cref="ReportAsync"/>).</summary>
    private async Task FlushProgressAsync()
    {
        Task pending;
        lock (_progressLock)
        {
            pending = _progressWrite;
        }

        await pending.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    /// <summary>Cordons or lifts our cordon with the turn's report in the same write; the report goes alone when nothing was written.</summary>
    private async Task CordonAsync(Decision decision, HostStatus hostStatus, bool cordon, CancellationToken cancellationToken)
    {
        await OneAtATimeAsync(() => CordonInsideAsync(decision, hostStatus, cordon, cancellationToken)).ConfigureAwait(false);
    }

    private async Task CordonInsideAsync(Decision decision, HostStatus hostStatus, bool cordon, CancellationToken cancellationToken)
    {
        var report = Due(decision, hostStatus, decision.Message);
        var result = cordon
            ? await node.CordonAsync(report, cancellationToken).ConfigureAwait(false)
            : await node.UncordonAsync(report, cancellationToken).ConfigureAwait(false);
        // Decide next on the node as written (the PATCH answer), not on a watch event that may still be on its way.
        _node = result.Node;
        _writtenUntil = time.GetUtcNow() + _staleWatchWindow;
        if (!result.Changed)
        {
            await ReportInsideAsync(decision, hostStatus, decision.Message, cancellationToken).ConfigureAwait(false);
        }
        else if (report is not null)
        {
            Written(report);
        }
    }

    /// <summary>The report of <paramref name="decision"/> with <paramref name="message"/>, or null when the node already shows it.</summary>
    /// <remarks>With <paramref name="passing"/>, a report that differs from the last one only in its message is not due either.</remarks>
    private NodeReport? Due(Decision decision, HostStatus hostStatus, string message, bool passing = false)
    {
        status.Report(decision.State.ToString(), message);
        // While turns keep failing, the node says so in its reason (unless the decision has a reason of its own).
        var report = new NodeReport(decision.Condition, decision.State, decision.Reason ?? _turnFailure ?? "", message, decision.CurrentImage);
        if (!_wroteAny && _reported is null && _node is { } seen && Shows(seen, report))
        {
            // A restart (a daemon upgrade, a crash) finds its last report still on the node: nothing to write. Only
            // before this process writes anything: afterwards the node last seen may lag behind our own writes.
            _reported = report;
        }

        return report == _reported || (passing && _reported is { } last && last with { Message = message } == report) ? null : report;
    }

    /// <summary>Whether <paramref name="node"/>'s output annotations already say what <paramref name="report"/> says.</summary>
    private bool Shows(NodeSnapshot node, NodeReport report) =>
        node.Annotation(_keys.State) == report.State.ToString()
        && node.Annotation(_keys.Phase) == report.Phase.ToString()
        && (node.Annotation(_keys.Reason) ?? "") == report.Reason
        && node.Annotation(_keys.Message) == report.Message
        && (report.CurrentImage is null || node.Annotation(_keys.CurrentImage) == report.CurrentImage);

    private void Written(NodeReport report)
    {
        _reported = report;
        _wroteAny = true;
        // Progress lines are spaced from any write, not only from each other: a pull that ends within the interval
        // after its "staging" report needs no line of its own on the node (the log and STATUS line still get every one).
        _lastWrite = time.GetUtcNow();
    }

    private async Task ReportAsync(Decision decision, HostStatus hostStatus, string message, CancellationToken cancellationToken, bool passing = false)
    {
        await OneAtATimeAsync(() => ReportInsideAsync(decision, hostStatus, message, cancellationToken, passing)).ConfigureAwait(false);
    }

    /// <summary>Runs <paramref name="write"/> after every write started before it has ended.</summary>
    private async Task OneAtATimeAsync(Func<Task> write)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task before;
        lock (_progressLock)
        {
            before = _lastWriteDone;
            _lastWriteDone = done.Task;
        }

        try
        {
            await before.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await write().ConfigureAwait(false);
        }
        finally
        {
            done.SetResult();
        }
    }

    /// <summary>The report write itself; the caller holds the write gate.</summary>
    private async Task ReportInsideAsync(Decision decision, HostStatus hostStatus, string message, CancellationToken cancellationToken, bool passing = false)
    {
        if (Due(decision, hostStatus, message, passing) is not { } report)
        {
            return;
        }

        Written(report);
        try
        {
            await node.ReportAsync(report, cancellationToken).ConfigureAwait(false);
        }
        catch (ClusterException e)
        {
            // Reporting is best effort: the next turn reports again; the update itself must not stop for it.
            LogReportFailed(e.Message);
            Metrics.Failed(FailureKind.Api);
            _reported = null;
        }
    }
}
