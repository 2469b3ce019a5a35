using Microsoft.Extensions.Logging;
using NodeDaemon.Core.Agent;
using NodeDaemon.Core.Cluster;
using NodeDaemon.Core.Options;
using NodeDaemon.Systemd;

namespace NodeDaemon.Agent;

/// <summary>Runs the drain: its timeout counts from a start kept in the notes, so a restart cannot reset it; and it stops
/// the moment the node says otherwise.</summary>
internal sealed partial class DrainExecutor(
    INodeClient node,
    NodeObserver observer,
    AgentNotes notes,
    NodeReporter reporter,
    NodeDaemonOptions options,
    AgentHeartbeat heartbeat,
    TimeProvider time,
    AgentLoopSettings settings,
    ILogger logger)
{
    /// <summary>Time for a bounded action to wind down after its own timeout (cancel, the last answers, the notes).</summary>
    public static readonly TimeSpan WindDown = TimeSpan.FromMinutes(1);

    /// <summary>What this process's last drain evicted, for the Rebooting Event that follows it; null when it drained
    /// nothing yet (a restart in between: the Event then tells the reboot only).</summary>
    public string? LastSummary { get; private set; }

    /// <summary>What is left of <paramref name="timeout"/> for a drain that started <paramref name="elapsed"/> ago
    /// (<see cref="Moment.Elapsed"/>: on the boot's monotonic clock within a boot).</summary>
    /// <remarks>A start from the wall clock's future (notes from another boot, the clock stepped back) comes as
    /// <see cref="TimeSpan.MaxValue"/> and counts as now: cutting the drain short would fire <c>drain.onTimeout</c> for
    /// nothing, while a whole timeout from the moment it is looked at is still a bounded wait.</remarks>
    public static TimeSpan TimeLeft(TimeSpan elapsed, TimeSpan timeout) =>
        elapsed == TimeSpan.MaxValue ? timeout : elapsed >= timeout ? TimeSpan.Zero : timeout - elapsed;

    /// <summary>Drains for <paramref name="decision"/>; the outcome, or null when a change of the node stopped it (nothing to note:
    /// the next turn decides on the changed node, lifting our cordon, dropping our stage, ...).</summary>
    public async Task<AgentOutcome?> DrainAsync(Decision decision, AgentInputs inputs, CancellationToken cancellationToken)
    {
        // The start is persisted before the first eviction: a daemon killed or restarted mid-drain resumes with what is
        // left of drain.timeoutSeconds, so onTimeout fires on time however often the process restarts.
        var key = decision.Key!;
        var now = time.GetUtcNow();
        if (notes.Current.About(key).DrainStarted is null)
        {
            notes.Note(key, new AgentOutcome.DrainStarted(new Moment(now, inputs.Host.BootId, BootClock.Monotonic(time))));
        }

        var started = notes.Current.About(key).DrainStarted!;
        var left = TimeLeft(started.ElapsedTo(now, inputs.Host.BootId, BootClock.Monotonic(time)), options.Drain.Timeout);
        // Long waits write no line (a pod stuck Terminating), yet the drain ends by its timeout: that is what keeps the
        // watchdog fed, not progress lines.
        heartbeat.Bound((left > TimeSpan.Zero ? left : TimeSpan.Zero) + WindDown);
        var progress = new InlineProgress<DrainProgress>(p => reporter.OnProgress(decision, p.Line, cancellationToken));
        var clock = time.GetTimestamp();
        DrainResult result;
        using (var drain = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        using (var watching = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            var changed = StopOnChangeAsync(inputs, drain, watching.Token);
            try
            {
                result = await node.DrainAsync(new DrainRequest(options.Drain, left), progress, drain.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (drain.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                LogDrainCancelled(await changed.ConfigureAwait(false) ?? "the node changed");
                return null;
            }
            finally
            {
                await watching.CancelAsync().ConfigureAwait(false);
                await ((Task)changed).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }

        if (!result.Succeeded)
        {
            return new AgentOutcome.DrainFailed(result.Outcome, result.Message);
        }

        settings.Metrics.DrainCompleted(time.GetElapsedTime(clock));
        // No Event of its own: the drain's end and the reboot are one transition, told by the Rebooting Event a turn later.
        // With the drain's length since its persisted start: there is no Draining Event any more to time it from.
        LastSummary = NodeEventText.Drained(result.Evicted, result.Total, started.ElapsedTo(time.GetUtcNow(), inputs.Host.BootId, BootClock.Monotonic(time)));
        return new AgentOutcome.Drained(result.Evicted, result.Total);
    }

    /// <summary>Decides again on every node change the watch brings during the drain; cancels <paramref name="drain"/>
    /// (and answers the decision's message) once the decision no longer drains: a desired image set back, a pause, a
    /// removed annotation. So no pod is evicted after such a change is seen.</summary>
    private async Task<string?> StopOnChangeAsync(AgentInputs inputs, CancellationTokenSource drain, CancellationToken cancellationToken)
    {
        while (await observer.Changes.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            observer.TakeChanges();
            var again = Decider.Decide(inputs with { Node = observer.Latest!.ToView(options), Now = time.GetUtcNow(), Monotonic = BootClock.Monotonic(time) });
            if (again.Action is not AgentAction.Drain)
            {
                await drain.CancelAsync().ConfigureAwait(false);
                return again.Message;
            }
        }

        return null;
    }
}
