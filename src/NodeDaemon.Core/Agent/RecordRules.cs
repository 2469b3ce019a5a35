using NodeDaemon.Core.Cluster;
using NodeDaemon.Core.Options;

namespace NodeDaemon.Core.Agent;

/// <summary>The one place that turns what an executor reports (<see cref="AgentOutcome"/>) into the notes kept about the target.</summary>
/// <remarks>Pure, like <see cref="Decider"/>: the backoff after a failed stage, whether a failed drain keeps our cordon,
/// that a cordon or a reboot request needs a fresh drain, and that notes about another target start clean are decided
/// here and nowhere else, so the executors only execute.</remarks>
public static class RecordRules
{
    /// <summary>The notes after <paramref name="outcome"/> of an action taken for the target keyed <paramref name="key"/>.</summary>
    /// <param name="record">The notes before.</param>
    /// <param name="key">The record key of the decision's target (<see cref="Decision.Key"/>); null only for <see cref="AgentOutcome.Forgotten"/>.</param>
    /// <param name="outcome">What the executor reported.</param>
    /// <param name="options">The validated options.</param>
    /// <param name="now">The wall clock.</param>
    public static AgentRecord Apply(AgentRecord record, string? key, AgentOutcome outcome, NodeDaemonOptions options, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(options);
        if (outcome is AgentOutcome.Forgotten)
        {
            // Nothing desired forgets the target, not the rejected image: set again, it must not be staged.
            return AgentRecord.Empty with { Rejected = record.Rejected };
        }

        if (outcome is AgentOutcome.RejectionMarked)
        {
            return record.WithRejectionMarked();
        }

        if (outcome is AgentOutcome.RejectionForgotten)
        {
            // The failure it caused goes with it: an admin who cleared the mark asks for the image to be tried again.
            return key is null ? record.WithoutRejection() : AgentRecord.For(key);
        }

        var about = record.About(key ?? throw new ArgumentException($"{outcome} needs the target's record key", nameof(key)));
        return outcome switch
        {
            AgentOutcome.Staged staged => about.WithStaged(staged.Digest),
            AgentOutcome.StageFailed failed => about.WithStageFailure(failed.Error, now, options.Staging, failed.At),
            AgentOutcome.Cordoning => about.WithCordoned(),
            AgentOutcome.DrainStarted started => about.WithDrainStarted(started.At),
            AgentOutcome.Drained => about.WithDrained(),
            AgentOutcome.DrainFailed failed => about.WithFailure(DrainFailure(failed, options.Drain)),
            AgentOutcome.RebootRequested requested => about.WithRebootRequested(requested.BootId, now, requested.Monotonic),
            AgentOutcome.FinalizeAccepted => about.WithRebootAccepted(),
            AgentOutcome.FinalizeInhibited inhibited => about.WithRebootInhibited(inhibited.Refusal, now, inhibited.Monotonic),
            AgentOutcome.FinalizeRefused refused => about.WithRebootRefused(refused.Refusal),
            // Verified: the notes start over for the target, so nothing about this update counts against the next one.
            AgentOutcome.Verified => AgentRecord.For(about.Target!) with { Rejected = about.Rejected },
            AgentOutcome.GaveUp { Rejects: { } rejects } gaveUp => about.WithRejection(gaveUp.Failure, rejects),
            AgentOutcome.GaveUp gaveUp => about.WithFailure(gaveUp.Failure),
            AgentOutcome.HealthChecked checkedHealth => about.WithHealth(checkedHealth.Image, checkedHealth.Verdict, checkedHealth.At, checkedHealth.SawReady),
            AgentOutcome.RollbackRequested requested => about.WithRollbackRequested(requested.Request),
            AgentOutcome.RollbackAccepted => about.WithRollbackAccepted(),
            AgentOutcome.RollbackRefused refused => RollbackRefused(about, refused.Refusal),
            _ => throw new InvalidOperationException($"no rule for {outcome}"),
        };
    }

    /// <summary>A rollback the host refused: given up, the image that failed the gate rejected, and our cordon kept (the
    /// node still runs that image).</summary>
    private static AgentRecord RollbackRefused(AgentRecord about, string refusal)
    {
        if (about.Rollback is not { } rollback)
        {
            return about;
        }

        var reason = $"health gate failed on {rollback.FromReference}: {rollback.Reason}; the rollback was refused: {refusal}";
        return about.WithRejection(new RecordedFailure(reason, AgentState.Verifying, KeepCordon: true), new RejectedImage(rollback.FromReference, rollback.From));
    }

    /// <summary>A drain that did not drain: given up on, and the cordon kept only when it timed out under <c>stayCordoned</c>.</summary>
    private static RecordedFailure DrainFailure(AgentOutcome.DrainFailed failed, DrainOptions options)
    {
        var keepCordon = failed.Outcome == DrainOutcome.TimedOut && options.OnTimeout == DrainTimeoutPolicy.StayCordoned;
        var words = failed.Outcome == DrainOutcome.TimedOut ? "timed out" : failed.Outcome.ToString().ToLowerInvariant();
        return new RecordedFailure($"drain {words}: {failed.Message}", AgentState.Draining, keepCordon);
    }
}
