using NodeDaemon.Core.Agent;
using NodeDaemon.Core.Cluster;
using NodeDaemon.Core.Host;
using NodeDaemon.Core.Options;
using NodeDaemon.Metrics;

namespace NodeDaemon.Agent;

/// <summary>The agent loop's drain: its timeout counts from a start kept in the notes, so a restart cannot reset it.</summary>
public sealed partial class AgentLoop
{
    /// <summary>Time for a bounded action to wind down after its own timeout (cancel, the last answers, the notes).</summary>
    private static readonly TimeSpan s_windDown = TimeSpan.FromMinutes(1);

    private async Task DrainAsync(Decision decision, HostStatus hostStatus, string key, CancellationToken cancellationToken)
    {
        // The start is persisted before the first eviction: a daemon killed or restarted mid-drain resumes with what is
        // left of drain.timeoutSeconds, so onTimeout fires on time however often the process restarts.
        var now = time.GetUtcNow();
        var record = _record!.About(key);
        if (record.DrainStartedAt is null)
        {
            Save(record = record.WithDrainStarted(now));
        }

        var left = DrainTimeLeft(record.DrainStartedAt!.Value, now, options.Drain.Timeout);
        // Long waits write no line (a pod stuck Terminating), yet the drain ends by its timeout: that is what keeps the
        // watchdog fed, not progress lines.
        heartbeat.Bound((left > TimeSpan.Zero ? left : TimeSpan.Zero) + s_windDown);
        var progress = new InlineProgress<DrainProgress>(p => OnProgress(decision, hostStatus, p.Line));
        var started = time.GetTimestamp();
        var result = await node.DrainAsync(new DrainRequest(options.Drain, left), progress, cancellationToken).ConfigureAwait(false);
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

    /// <summary>What is left of <paramref name="timeout"/> for a drain that started at <paramref name="startedAt"/>.</summary>
    /// <remarks>A start in the future (the wall clock stepped back) counts as now: the drain never waits longer than a
    /// whole timeout from the moment it is looked at.</remarks>
    internal static TimeSpan DrainTimeLeft(DateTimeOffset startedAt, DateTimeOffset now, TimeSpan timeout)
    {
        var elapsed = now - startedAt;
        return timeout - (elapsed > TimeSpan.Zero ? elapsed : TimeSpan.Zero);
    }

    private static string Words(DrainOutcome outcome) => outcome switch
    {
        DrainOutcome.TimedOut => "timed out",
        _ => outcome.ToString().ToLowerInvariant(),
    };
}
