using Microsoft.Extensions.Logging;
using NodeDaemon.Core.Agent;
using NodeDaemon.Core.Cluster;
using NodeDaemon.Core.Fleet;
using NodeDaemon.Core.Host;
using NodeDaemon.Core.Options;
using NodeDaemon.Metrics;
using NodeDaemon.Systemd;

namespace NodeDaemon.Agent;

/// <summary>Carries out one decided action against the host, the node and the pool, and notes what came of it.</summary>
/// <remarks>It decides nothing: what an outcome means for the notes is <see cref="RecordRules"/>'s, how a decision is
/// reported is <see cref="Decision.Report"/>'s, and which failure an outcome counts as is <see cref="AgentOutcome.Counts"/>.</remarks>
internal sealed partial class ActionExecutor(
    IHostSystem host,
    NodeObserver observer,
    AgentNotes notes,
    NodeReporter reporter,
    DrainExecutor drainer,
    SlotExecutor slot,
    StagingSlotExecutor staging,
    NodeDaemonOptions options,
    AgentHeartbeat heartbeat,
    TimeProvider time,
    AgentLoopSettings settings,
    ILogger logger)
{
    /// <summary>Runs <paramref name="decision"/>'s action, decided on <paramref name="inputs"/>.</summary>
    public async Task ActAsync(Decision decision, AgentInputs inputs, CancellationToken cancellationToken)
    {
        switch (decision.Action)
        {
            case AgentAction.Stage stage:
                await StageAsync(decision, stage, inputs, cancellationToken).ConfigureAwait(false);
                break;
            case AgentAction.CleanupStaged:
                await host.CleanupStagedAsync(cancellationToken).ConfigureAwait(false);
                break;
            case AgentAction.Cordon:
                // No Event of its own: the kubelet records NodeNotSchedulable for the cordon, and the Rebooting Event
                // says what the drain evicted and how long it took (docs/protocol.md, "Events").
                Note(decision, new AgentOutcome.Cordoning());
                await reporter.CordonAsync(decision, cordon: true, cancellationToken).ConfigureAwait(false);
                break;
            case AgentAction.Uncordon:
                await reporter.CordonAsync(decision, cordon: false, cancellationToken).ConfigureAwait(false);
                break;
            case AgentAction.Drain:
                if (await drainer.DrainAsync(decision, inputs, cancellationToken).ConfigureAwait(false) is { } drained)
                {
                    await NoteAsync(decision, drained, cancellationToken).ConfigureAwait(false);
                }

                break;
            case AgentAction.Finalize finalize:
                await FinalizeAsync(decision, finalize, inputs, cancellationToken).ConfigureAwait(false);
                break;
            case AgentAction.CompleteVerification verified:
                // The request time was persisted before the reboot, so this spans the shutdown, the boot and our restart.
                if (notes.Current.About(decision.Key!).Reboot is { } reboot)
                {
                    var took = time.GetUtcNow() - reboot.RequestedAt;
                    settings.Metrics.RebootCompleted(took > TimeSpan.Zero ? took : TimeSpan.Zero);
                }

                // A full disk does not keep the node from being given back: the verified notes are kept in memory, the
                // uncordon follows, and the write is tried again on every turn (see AgentNotes).
                Note(decision, new AgentOutcome.Verified());
                await reporter.EventAsync(NodeEventKind.Verified, $"booted {verified.Digest}, the desired image", false, cancellationToken).ConfigureAwait(false);
                break;
            case AgentAction.RecordFailure failure:
                await NoteAsync(decision, new AgentOutcome.GaveUp(failure.Failure, failure.Rejects), cancellationToken).ConfigureAwait(false);
                break;
            case AgentAction.CheckHealth check:
                await CheckHealthAsync(decision, check, inputs, cancellationToken).ConfigureAwait(false);
                break;
            case AgentAction.Rollback rollback:
                await RollbackAsync(decision, rollback, inputs, cancellationToken).ConfigureAwait(false);
                break;
            case AgentAction.NoteRejectionMarked:
                Note(decision, new AgentOutcome.RejectionMarked());
                break;
            case AgentAction.ForgetRejection:
                Note(decision, new AgentOutcome.RejectionForgotten());
                break;
            case AgentAction.ResetRecord:
                Note(decision, new AgentOutcome.Forgotten());
                break;
            case AgentAction.AcquireSlot acquire:
                // The decider asks only with a pool label on the node, so the member is known here.
                var answer = await slot.AcquireAsync(Member(inputs)!, acquire.Digest, cancellationToken).ConfigureAwait(false);
                if (answer is SlotAnswer.Full or SlotAnswer.Halted)
                {
                    // Waiting is not a failure: no failure metric, no Degraded; the node says who holds the slots.
                    await reporter.ReportAsync(decision, answer.Message, cancellationToken).ConfigureAwait(false);
                }

                break;
            case AgentAction.AcquireStagingSlot acquireStaging:
                // Asked only with a pool label on the node, as for a slot.
                if (await staging.AcquireAsync(Member(inputs)!, acquireStaging.Target, cancellationToken).ConfigureAwait(false) is StagingAnswer.Full full)
                {
                    await reporter.ReportAsync(decision, full.Message, cancellationToken).ConfigureAwait(false);
                }

                break;
            case AgentAction.ReleaseStagingSlot:
                await staging.ReleaseAsync(cancellationToken).ConfigureAwait(false);
                break;
            case AgentAction.ReleaseSlot:
                await slot.ReleaseAsync(Member(inputs), cancellationToken).ConfigureAwait(false);
                break;
            case AgentAction.None or AgentAction.Wait:
                break;
            default:
                throw new InvalidOperationException($"no executor for {decision.Action}");
        }
    }

    private async Task StageAsync(Decision decision, AgentAction.Stage stage, AgentInputs inputs, CancellationToken cancellationToken)
    {
        // No Staging Event: OSUpdateProgressing turns True in this turn's report (its lastTransitionTime is the start), and
        // the Staged Event says how long the pull took; a pull that fails is told by the Degraded Event.
        // Bounded by rpm-ostree's: a BUSY wait of at most busyWaitSeconds, then the transaction's timeout.
        heartbeat.Bound(options.Staging.BusyWait + options.Staging.TransactionTimeout + DrainExecutor.WindDown);
        var started = time.GetTimestamp();
        try
        {
            var progress = new InlineProgress<StageProgress>(p => reporter.OnProgress(decision, p.Describe(), cancellationToken));
            HostDeployment staged;
            // A staging slot held is renewed while the pull runs, and no longer: the next turn gives it back.
            await using (staging.Renewing().ConfigureAwait(false))
            {
                staged = await host.StageAsync(stage.Refspec, stage.ExpectedDigest, progress, cancellationToken).ConfigureAwait(false);
            }

            var took = time.GetElapsedTime(started);
            settings.Metrics.StageCompleted(took);
            Note(decision, new AgentOutcome.Staged(staged.ImageDigest!.Value));
            await reporter.EventAsync(NodeEventKind.Staged, NodeEventText.Staged(stage.Refspec.ToString(), staged.ImageDigest.ToString()!, took), false, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (HostException e)
        {
            LogStageFailed(stage.Refspec.ToString(), e.Message);
            Note(decision, new AgentOutcome.StageFailed(e.Message, new Moment(time.GetUtcNow(), inputs.Host.BootId, BootClock.Monotonic(time))));
        }
    }

    private async Task FinalizeAsync(Decision decision, AgentAction.Finalize finalize, AgentInputs inputs, CancellationToken cancellationToken)
    {
        // The notes first: whatever happens to this process, the next boot knows it asked for a reboot. Notes that
        // cannot be written (a full disk) stop it here: a reboot they do not know of could not be counted.
        var key = decision.Key!;
        var retrying = notes.Current.About(key).Reboot is { InhibitedSince: not null };
        if (!notes.NoteBeforeReboot(key, new AgentOutcome.RebootRequested(inputs.Host.BootId, BootClock.Monotonic(time))))
        {
            return;
        }

        if (!retrying)
        {
            // One Rebooting event per request: the retries under a shutdown inhibitor show in the message.
            var message = drainer.LastSummary is { } drained ? $"{drained}; {decision.Message}" : decision.Message;
            await reporter.EventAsync(NodeEventKind.Rebooting, message, false, cancellationToken).ConfigureAwait(false);
        }

        heartbeat.Bound(options.Staging.BusyWait + options.Staging.TransactionTimeout + DrainExecutor.WindDown);
        try
        {
            await host.FinalizeAsync(finalize.Digest, cancellationToken).ConfigureAwait(false);
            Note(decision, new AgentOutcome.FinalizeAccepted());
        }
        catch (HostException e) when (e.Kind == HostErrorKind.Inhibited)
        {
            // Not a failure: refused before the unlock; the decider waits, bounded by reboot.inhibitorWaitSeconds.
            LogFinalizeInhibited(finalize.Digest.ToString(), e.Message);
            Note(decision, new AgentOutcome.FinalizeInhibited(e.Message, BootClock.Monotonic(time)));
        }
        catch (HostException e) when (e.Kind != HostErrorKind.Unavailable)
        {
            // Counted as an attempt: the decider tries again within the budget, then gives up with this answer.
            // Not so a host that gave no answer (rpm-ostreed died or is unreachable): that fails the turn and leaves
            // the note unanswered, which the decider asks again as the same attempt (a reboot may be under way).
            LogFinalizeFailed(finalize.Digest.ToString(), e.Message);
            Note(decision, new AgentOutcome.FinalizeRefused(e.Message));
        }
    }

    /// <summary>Notes <paramref name="outcome"/> and counts it when it is a failure.</summary>
    private void Note(Decision decision, AgentOutcome outcome)
    {
        if (outcome.Counts is { } counted)
        {
            settings.Metrics.Failed(counted switch
            {
                FailureClass.Stage => FailureKind.Stage,
                FailureClass.Drain => FailureKind.Drain,
                FailureClass.Finalize => FailureKind.Finalize,
                _ => FailureKind.Verify,
            });
        }

        notes.Note(decision.Key, outcome);
    }

    /// <summary>Notes <paramref name="outcome"/>; one that gave up says so in a Degraded Event with the noted reason.</summary>
    private async Task NoteAsync(Decision decision, AgentOutcome outcome, CancellationToken cancellationToken)
    {
        Note(decision, outcome);
        if (notes.Current.About(decision.Key!).Failure is { } failure && outcome is AgentOutcome.GaveUp or AgentOutcome.DrainFailed or AgentOutcome.RollbackRefused)
        {
            await reporter.EventAsync(NodeEventKind.Degraded, failure.Reason, warning: true, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>This node in its pool, or null when it lacks the pool label.</summary>
    private SlotMember? Member(AgentInputs inputs) =>
        inputs.Node.Pool is { } pool ? new SlotMember(observer.Latest!.Name, pool) : null;
}
