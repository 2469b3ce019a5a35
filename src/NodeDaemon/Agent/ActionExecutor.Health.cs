using NodeDaemon.Core.Agent;
using NodeDaemon.Core.Cluster;
using NodeDaemon.Core.Health;
using NodeDaemon.Core.Host;

namespace NodeDaemon.Agent;

/// <summary>The health gate's and the rollback's executors: ask the gate and note its answer; note the rollback, then ask the host.</summary>
internal sealed partial class ActionExecutor
{
    /// <summary>How long one ask of the gate may take before the watchdog counts the loop as stuck: its reads are bounded
    /// by the API transport's and the system bus's own timeouts, well within this.</summary>
    private static readonly TimeSpan s_healthCheckBound = TimeSpan.FromMinutes(2);

    private async Task CheckHealthAsync(Decision decision, AgentAction.CheckHealth check, AgentInputs inputs, CancellationToken cancellationToken)
    {
        var record = notes.Current.About(decision.Key!);
        var now = time.GetUtcNow();
        var monotonic = BootClock.Monotonic(time);
        var started = record.Health is { } note && note.IsAbout(check.Digest, inputs.Host.BootId) ? note.Started.Wall : now;
        // This boot began after we asked for it (the update's reboot, or the rollback's), and not before the kernel's clock
        // says; the later of the two, so that a Ready posted before the reboot never counts as this boot's.
        var asked = record.Rollback is { } rollback && rollback.FromBootId != inputs.Host.BootId ? rollback.RequestedAt : record.Reboot?.RequestedAt ?? now;
        var kernel = now - monotonic;
        var context = new HealthCheckContext(observer.Latest!.Name, asked > kernel ? asked : kernel, started)
        {
            // The Ready this turn decided on, from the node watch while it is current: the gate then reads no node of its own.
            Watched = observer.WatchCurrent ? new WatchedReady(inputs.NodeReady) : null,
        };
        heartbeat.Bound(s_healthCheckBound);
        var verdict = await settings.HealthGate.CheckAsync(context, cancellationToken).ConfigureAwait(false);
        LogHealthChecked(check.Digest.ToString(), Words(verdict));
        Note(decision, new AgentOutcome.HealthChecked(check.Digest, verdict, new Moment(now, inputs.Host.BootId, monotonic), inputs.NodeReady));
    }

    private async Task RollbackAsync(Decision decision, AgentAction.Rollback rollback, AgentInputs inputs, CancellationToken cancellationToken)
    {
        // The notes first, as for an update's reboot: whatever happens to this process, the next boot knows the rollback
        // was ours, and a restart never asks for a second one.
        var key = decision.Key!;
        var first = notes.Current.About(key).Rollback is null;
        var request = new RollbackRequest(rollback.From, rollback.FromReference, rollback.Reason, rollback.PreviousChecksum, rollback.PreviousDigest,
            inputs.Host.BootId, time.GetUtcNow(), BootClock.Monotonic(time));
        if (!notes.NoteBeforeReboot(key, new AgentOutcome.RollbackRequested(request)))
        {
            return;
        }

        if (first)
        {
            LogHealthGateFailed(rollback.FromReference, rollback.Reason);
            await reporter.EventAsync(NodeEventKind.RollingBack, decision.Message, warning: true, cancellationToken).ConfigureAwait(false);
        }

        heartbeat.Bound(options.Staging.BusyWait + options.Staging.TransactionTimeout + DrainExecutor.WindDown);
        try
        {
            await host.RollbackAsync(rollback.PreviousChecksum, cancellationToken).ConfigureAwait(false);
            Note(decision, new AgentOutcome.RollbackAccepted());
        }
        catch (HostException e) when (e.Kind is not (HostErrorKind.Unavailable or HostErrorKind.Inhibited))
        {
            // No answer (rpm-ostreed gone) or a shutdown inhibitor fails the turn instead: the request stays unanswered and
            // is asked again after the turn's backoff, within reboot.requestTimeoutSeconds; the host skips what is done.
            LogRollbackRefused(rollback.FromReference, e.Message);
            await NoteAsync(decision, new AgentOutcome.RollbackRefused(e.Message), cancellationToken).ConfigureAwait(false);
        }
    }

    private static string Words(HealthVerdict verdict) => verdict switch
    {
        HealthVerdict.Waiting waiting => "waiting: " + waiting.Message,
        HealthVerdict.Failed failed => "failed: " + failed.Reason,
        _ => "passed",
    };
}
