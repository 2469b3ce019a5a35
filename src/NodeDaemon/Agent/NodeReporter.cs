using Microsoft.Extensions.Logging;
using NodeDaemon.Core.Agent;
using NodeDaemon.Core.Cluster;
using NodeDaemon.Metrics;
using NodeDaemon.Systemd;

namespace NodeDaemon.Agent;

/// <summary>The agent's reports and Events on its node: written only when they say something new, with a cordon's write
/// when there is one, one write at a time.</summary>
/// <remarks>Writes are serialized: one gate covers every report and cordon write, and a progress line written while an
/// action runs is awaited before the turn ends (<see cref="FlushProgressAsync"/>), so a late progress line can never land
/// after (and overwrite) the next turn's report, and the memory of what was written is never updated by two writers at once.</remarks>
internal sealed partial class NodeReporter(
    INodeClient node,
    NodeObserver observer,
    AnnotationKeys keys,
    StatusReporter status,
    AgentHeartbeat heartbeat,
    TimeProvider time,
    AgentLoopSettings settings,
    ILogger logger)
{
    private readonly Lock _gate = new();
    // The write gate: each write waits for the one before it (a chain, so nothing to dispose).
    private Task _lastWriteDone = Task.CompletedTask;
    private Task _progressWrite = Task.CompletedTask;
    private NodeReport? _reported;
    private bool _wroteAny;
    private DateTimeOffset _lastWrite = DateTimeOffset.MinValue;

    /// <summary>While turns keep failing, what the node's <c>reason</c> says (unless the decision has a reason of its own); else null.</summary>
    public string? TurnTrouble { get; set; }

    /// <summary>Reports <paramref name="decision"/> before its action runs, as its <see cref="Decision.Report"/> says.</summary>
    public Task BeforeActionAsync(Decision decision, CancellationToken cancellationToken) => decision.Report switch
    {
        ReportMode.BeforeAction => ReportAsync(decision, decision.Message, cancellationToken),
        ReportMode.UnlessOnlyMessage => ReportAsync(decision, decision.Message, cancellationToken, passing: true),
        ReportMode.ProgressLine => ReportAsync(decision, decision.Message, cancellationToken, passing: time.GetUtcNow() - _lastWrite < settings.ProgressReportInterval),
        _ => Task.CompletedTask,
    };

    /// <summary>Reports <paramref name="decision"/> with <paramref name="message"/> when the node does not show it yet.</summary>
    /// <remarks>With <paramref name="passing"/>, a report that differs from the last one only in its message is not written.</remarks>
    /// <remarks>The conditions it means, when they change, go in the same write (one request per phase change).</remarks>
    public Task ReportAsync(Decision decision, string message, CancellationToken cancellationToken, bool passing = false) =>
        OneAtATimeAsync(() => ReportInsideAsync(decision, message, cancellationToken, passing));

    /// <summary>Cordons or lifts our cordon with the decision's report in the same write; the report goes alone when nothing was written.</summary>
    public Task CordonAsync(Decision decision, bool cordon, CancellationToken cancellationToken) =>
        OneAtATimeAsync(async () =>
        {
            await CordonInsideAsync(decision, cordon, cancellationToken).ConfigureAwait(false);
            await ConditionsInsideAsync(decision, cancellationToken).ConfigureAwait(false);
        });

    /// <summary>A progress line of the running action: to the STATUS line always, to the node at most once per interval.</summary>
    /// <param name="decision">The decision whose action runs.</param>
    /// <param name="line">The progress line.</param>
    /// <param name="cancellationToken">The turn's token.</param>
    public void OnProgress(Decision decision, string line, CancellationToken cancellationToken)
    {
        // Long actions beat on progress: a pull or a drain that moves is a live loop.
        heartbeat.Beat();
        status.Report(decision.State.ToString(), line);
        if (time.GetUtcNow() - _lastWrite < settings.ProgressReportInterval)
        {
            return;
        }

        // At most one annotation write per interval (a pull signals many times a second), and one at a time: a line
        // that comes while the previous one is still being written waits for the next signal.
        lock (_gate)
        {
            if (_progressWrite.IsCompleted)
            {
                _progressWrite = ReportAsync(decision, line, cancellationToken);
            }
        }
    }

    /// <summary>Waits for a progress line still being written (its failure was logged by <see cref="ReportAsync"/>).</summary>
    public async Task FlushProgressAsync()
    {
        Task pending;
        lock (_gate)
        {
            pending = _progressWrite;
        }

        await pending.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    /// <summary>Records an Event on the node; best effort, like every report.</summary>
    public async Task EventAsync(NodeEventKind kind, string message, bool warning, CancellationToken cancellationToken)
    {
        try
        {
            await node.RecordEventAsync(kind, message, warning, cancellationToken).ConfigureAwait(false);
        }
        catch (ClusterException e)
        {
            LogReportFailed(e.Message);
            settings.Metrics.Failed(FailureKind.Api);
        }
    }

    private async Task CordonInsideAsync(Decision decision, bool cordon, CancellationToken cancellationToken)
    {
        var report = Due(decision, decision.Message);
        var result = cordon
            ? await node.CordonAsync(report, cancellationToken).ConfigureAwait(false)
            : await node.UncordonAsync(report, cancellationToken).ConfigureAwait(false);
        observer.Wrote(result.Node);
        if (!result.Changed)
        {
            await ReportInsideAsync(decision, decision.Message, cancellationToken).ConfigureAwait(false);
        }
        else if (report is not null)
        {
            Written(report);
        }
    }

    /// <summary>The report of <paramref name="decision"/> with <paramref name="message"/>, or null when the node already shows it.</summary>
    private NodeReport? Due(Decision decision, string message, bool passing = false)
    {
        status.Report(decision.State.ToString(), message);
        var report = new NodeReport(decision.Condition, decision.State, decision.Reason ?? TurnTrouble ?? "", message, decision.CurrentImage)
        {
            RejectedImage = decision.RejectedImage,
        };
        if (!_wroteAny && _reported is null && observer.Latest is { } seen && Shows(seen, report))
        {
            // A restart (a daemon upgrade, a crash) finds its last report still on the node: nothing to write. Only
            // before this process writes anything: afterwards the node last seen may lag behind our own writes.
            _reported = report;
        }

        return report == _reported || (passing && _reported is { } last && last with { Message = message } == report) ? null : report;
    }

    /// <summary>Whether <paramref name="snapshot"/>'s output annotations already say what <paramref name="report"/> says.</summary>
    private bool Shows(NodeSnapshot snapshot, NodeReport report) =>
        snapshot.Annotation(keys.State) == report.State.ToString()
        && snapshot.Annotation(keys.Phase) == report.Phase.ToString()
        && (snapshot.Annotation(keys.Reason) ?? "") == report.Reason
        && snapshot.Annotation(keys.Message) == report.Message
        && (report.CurrentImage is null || snapshot.Annotation(keys.CurrentImage) == report.CurrentImage)
        && (report.RejectedImage is null || (snapshot.Annotation(keys.RejectedImage) ?? "") == report.RejectedImage);

    private void Written(NodeReport report)
    {
        _reported = report;
        _wroteAny = true;
        // Progress lines are spaced from any write, not only from each other: a pull that ends within the interval
        // after its "staging" report needs no line of its own on the node (the log and STATUS line still get every one).
        _lastWrite = time.GetUtcNow();
    }

    /// <summary>Runs <paramref name="write"/> after every write started before it has ended.</summary>
    private async Task OneAtATimeAsync(Func<Task> write)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task before;
        lock (_gate)
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

    /// <summary>The report write itself, with the conditions when they change too (one write); the caller holds the write gate.</summary>
    private async Task ReportInsideAsync(Decision decision, string message, CancellationToken cancellationToken, bool passing = false)
    {
        var report = Due(decision, message, passing);
        var conditions = ConditionsDue(decision, withReport: report is not null);
        if (report is null && conditions is null)
        {
            return;
        }

        if (report is not null)
        {
            Written(report);
        }

        try
        {
            if (conditions is null)
            {
                await node.ReportAsync(report!, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await node.SetConditionsAsync(conditions, report, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (ClusterException e)
        {
            // Reporting is best effort: the next turn reports again; the update itself must not stop for it.
            if (report is null)
            {
                LogConditionsFailed(e.Message);
            }
            else
            {
                LogReportFailed(e.Message);
                _reported = null;
            }

            settings.Metrics.Failed(FailureKind.Api);
            if (conditions is not null)
            {
                _conditions = null;
            }
        }
    }
}
