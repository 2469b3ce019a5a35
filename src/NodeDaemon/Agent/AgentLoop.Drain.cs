using NodeDaemon.Core.Agent;
using NodeDaemon.Core.Cluster;
using NodeDaemon.Core.Host;
using NodeDaemon.Core.Options;
using NodeDaemon.Metrics;

namespace NodeDaemon.Agent;

/// <summary>The drain: its timeout counts from a start kept in the notes, so a restart cannot reset it; and it stops the
/// moment the node says otherwise.</summary>
public sealed partial class AgentLoop
{
    /// <summary>Time for a bounded action to wind down after its own timeout (cancel, the last answers, the notes).</summary>
    private static readonly TimeSpan s_windDown = TimeSpan.FromMinutes(1);

    private async Task DrainAsync(Decision decision, AgentInputs inputs, HostStatus hostStatus, string key, CancellationToken cancellationToken)
    {
        // The start is persisted before the first eviction: a daemon killed or restarted mid-drain resumes with what is
        // left of drain.timeoutSeconds, so onTimeout fires on time however often the process restarts.
        var now = time.GetUtcNow();
        var record = _record!.About(key);
        if (record.DrainStarted is null)
        {
            Save(record = record.WithDrainStarted(new Moment(now, inputs.Host.BootId, Monotonic())));
        }

        var left = DrainTimeLeft(record.DrainStarted!.ElapsedTo(now, inputs.Host.BootId, Monotonic()), options.Drain.Timeout);
        // Long waits write no line (a pod stuck Terminating), yet the drain ends by its timeout: that is what keeps the
        // watchdog fed, not progress lines.
        heartbeat.Bound((left > TimeSpan.Zero ? left : TimeSpan.Zero) + s_windDown);
        var progress = new InlineProgress<DrainProgress>(p => OnProgress(decision, hostStatus, p.Line));
        var started = time.GetTimestamp();
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
                // Nothing noted: the next turn decides on the changed node (lift our cordon, drop our stage, ...).
                LogDrainCancelled(await changed.ConfigureAwait(false) ?? "the node changed");
                return;
            }
            finally
            {
                await watching.CancelAsync().ConfigureAwait(false);
                await ((Task)changed).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }

        if (result.Succeeded)
        {
            Metrics.DrainCompleted(time.GetElapsedTime(started));
            Save(_record!.About(key).WithDrained());
            // No Event of its own: the drain's end and the reboot are one transition, told by the Rebooting Event a turn later.
            _drained = $"drained: {result.Evicted}/{result.Total} pods evicted";
            return;
        }

        Metrics.Failed(FailureKind.Drain);
        var keepCordon = result.Outcome == DrainOutcome.TimedOut && options.Drain.OnTimeout == DrainTimeoutPolicy.StayCordoned;
        var reason = $"drain {Words(result.Outcome)}: {result.Message}";
        Save(_record!.About(key).WithFailure(new RecordedFailure(reason, AgentState.Draining, keepCordon)));
        await EventAsync(NodeEventKind.Degraded, reason, warning: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Decides again on every node change the watch brings during the drain; cancels <paramref name="drain"/>
    /// (and answers the decision's message) once the decision no longer drains: a desired image set back, a pause, a
    /// removed annotation. So no pod is evicted after such a change is seen.</summary>
    private async Task<string?> StopOnChangeAsync(AgentInputs inputs, CancellationTokenSource drain, CancellationToken cancellationToken)
    {
        while (await _changes.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (_changes.Reader.TryRead(out var newer))
            {
                Observe(newer);
            }

            var again = Decider.Decide(inputs with { Node = _node!.ToView(options), Now = time.GetUtcNow(), Monotonic = Monotonic() });
            if (again.Action is not AgentAction.Drain)
            {
                await drain.CancelAsync().ConfigureAwait(false);
                return again.Message;
            }
        }

        return null;
    }

    /// <summary>What is left of <paramref name="timeout"/> for a drain that started <paramref name="elapsed"/> ago
    /// (<see cref="Moment.Elapsed"/>: on the boot's monotonic clock within a boot).</summary>
    /// <remarks>A start from the wall clock's future (notes from another boot, the clock stepped back) comes as
    /// <see cref="TimeSpan.MaxValue"/> and counts as now: cutting the drain short would fire <c>drain.onTimeout</c> for
    /// nothing, while a whole timeout from the moment it is looked at is still a bounded wait.</remarks>
    internal static TimeSpan DrainTimeLeft(TimeSpan elapsed, TimeSpan timeout) =>
        elapsed == TimeSpan.MaxValue ? timeout : elapsed >= timeout ? TimeSpan.Zero : timeout - elapsed;

    private static string Words(DrainOutcome outcome) => outcome switch
    {
        DrainOutcome.TimedOut => "timed out",
        _ => outcome.ToString().ToLowerInvariant(),
    };
}
