using NodeDaemon.Core.Images;

namespace NodeDaemon.Core.Agent;

/// <summary>The rules that end an attempt: a reboot that did not bring the target up, a failure, notes that cannot be written.</summary>
internal static class GiveUpRules
{
    /// <summary>A reboot of ours that did not bring the target up: retry within the budget, then give up.</summary>
    internal static Decision? RebootOutcome(AgentInputs inputs, DesiredTarget target, AgentRecord record)
    {
        if (record.Reboot is not { } reboot || record.Failure is not null)
        {
            return null;
        }

        var sameBoot = reboot.FromBootId == inputs.Host.BootId;
        if (sameBoot && reboot is { Accepted: false, InhibitedSince: { } since })
        {
            // Refused before the unlock: not a reboot attempt, so the time bound decides, not the attempt budget.
            return InhibitorRule.Inhibited(inputs, target, reboot, since);
        }

        var timeout = inputs.Options.Reboot.RequestTimeout;
        var waited = DecisionClock.Since(inputs, reboot.RequestedAt, reboot.FromBootId, reboot.Monotonic);
        if (sameBoot && reboot is { Accepted: false, Refusal: null } && waited < timeout)
        {
            // Asked in this boot and never answered: the process died between our note and the host's answer. Nothing
            // rebooted, so this is the same attempt, asked again (the lock makes that safe: the host either unlocks and
            // reboots now or answers "already unlocked", and only that leads to a plain reboot). Bounded by the request
            // timeout from the first ask, so a host that never answers still ends in Degraded.
            return null;
        }

        if (sameBoot && reboot.Accepted && waited < timeout)
        {
            // The deadline on this boot's clock, expressed on the wall clock of now: a step of the wall clock moves both.
            return new(AgentState.Rebooting, new AgentAction.Wait(inputs.Now + (timeout - waited)), $"rebooting into {target.Image}");
        }

        // Not accepted in this boot (a crash between our note and the host's answer, or a refusal), or late: finalizing
        // again is safe within the budget. The lock makes a second call either unlock and reboot now, or answer
        // "already unlocked", and only that answer leads to a plain reboot; so it never reboots twice.
        if (reboot.Attempts < inputs.Options.Reboot.MaxAttempts)
        {
            return null;
        }

        var what = (sameBoot, reboot) switch
        {
            (true, { Refusal: { } refusal }) => $"the host refused to finalize: {refusal}",
            (true, { Accepted: false }) => "the host never answered the reboot request",
            (true, _) => $"the reboot requested at {reboot.RequestedAt:u} did not happen",
            _ => $"the host booted {Decider.Describe(inputs.Host.Booted)} instead (the staged deployment was lost or finalization failed)",
        };
        var reason = $"gave up on {target.Image} after {reboot.Attempts} reboot(s): {what}";
        return new(AgentState.Degraded, new AgentAction.RecordFailure(new(reason, AgentState.Rebooting)), reason, reason);
    }

    /// <summary>Given up: our stage goes first, then the cordon (unless kept for an admin) and the slot.</summary>
    /// <remarks>The stage before the uncordon: a finalization may have unlocked it, and an unplanned reboot of an
    /// uncordoned node would then boot it with no drain, window or slot.</remarks>
    internal static Decision? Failed(AgentInputs inputs, DesiredTarget target, AgentRecord record)
    {
        if (record.Failure is not { } failure)
        {
            return null;
        }

        if (OurStage(inputs, target) is { } stage)
        {
            return new(AgentState.Degraded, new AgentAction.CleanupStaged(), $"{failure.Reason} (dropping our staged {Decider.Short(stage)})", failure.Reason);
        }

        var keep = failure.KeepCordon && inputs.Node.CordonedByUs;
        return keep
            ? new(AgentState.Degraded, new AgentAction.None(), failure.Reason + " (cordon kept for an admin)", failure.Reason)
            : Decider.GiveBack(inputs, AgentState.Degraded, failure.Reason, failure.Reason);
    }

    /// <summary>The notes cannot be written (a full disk): nothing more is disrupted, since a reboot the notes do not
    /// know of could not be counted; what is held is given back, and the write is tried again.</summary>
    internal static Decision CannotRemember(AgentInputs inputs, DesiredTarget target, AgentRecord record, string problem)
    {
        var reason = $"cannot write the daemon's notes ({problem}); {target.Image} waits until they can be written";
        if (record.Reboot is not null && OurStage(inputs, target) is { } stage)
        {
            // Finalized before (refused, unanswered or late): the stage may be unlocked.
            return new(AgentState.Degraded, new AgentAction.CleanupStaged(), $"{reason} (dropping our staged {Decider.Short(stage)})", reason);
        }

        var decision = Decider.GiveBack(inputs, AgentState.Degraded, reason, reason);
        return decision.Action is AgentAction.None ? decision with { Action = new AgentAction.Wait(inputs.Now + Decider.NotesRetry) } : decision;
    }

    /// <summary>The staged deployment's digest when it is ours (we locked it, or it is the target we finalize); else null.</summary>
    private static Digest? OurStage(AgentInputs inputs, DesiredTarget target) =>
        inputs.Host.Staged is { ImageDigest: { } staged } deployment && (inputs.Record.LockedStage == staged || target.IsMatchedBy(deployment))
            ? staged
            : null;
}
