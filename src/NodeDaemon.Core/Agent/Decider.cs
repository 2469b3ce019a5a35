using NodeDaemon.Core.Host;
using NodeDaemon.Core.Images;
using NodeDaemon.Core.Maintenance;
using NodeDaemon.Core.Options;

namespace NodeDaemon.Core.Agent;

/// <summary>The agent's brain: a pure function from a snapshot of node, host, notes and clock to one decision.</summary>
/// <remarks>
/// Rules are tried in order and the first that applies wins. Every action is a single idempotent step; the
/// executor runs it, observes again, and asks again. So a crash or reboot at any point resumes correctly: the
/// next decision is computed from what the node, the host and the persisted notes say, never from memory of
/// what the process was doing. See docs/states.md for the table in prose. Cohesive rule groups live in their own
/// static classes (<see cref="GiveUpRules"/>, <see cref="InhibitorRule"/>, <see cref="SlotRule"/>, <see cref="StagingSlotRule"/>,
/// <see cref="StageReplacement"/>, <see cref="DecisionClock"/>); this class holds their order: the one table.
/// </remarks>
public static class Decider
{
    /// <summary>How often notes that could not be written are tried again while the node holds.</summary>
    public static readonly TimeSpan NotesRetry = TimeSpan.FromMinutes(1);

    /// <summary>How often a closed maintenance window is looked at again when its next opening is not known.</summary>
    public static readonly TimeSpan WindowRecheck = TimeSpan.FromMinutes(1);

    /// <summary>Decides the next step.</summary>
    public static Decision Decide(AgentInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var desired = inputs.Node.DesiredImage;
        // Parsed once, here: the decision carries the notes' key, so no executor parses the annotation again.
        var target = string.IsNullOrEmpty(desired) ? null : DesiredTarget.TryCreate(desired, inputs.Options, out _);
        var decision = (RejectionRules.Decide(inputs, target) ?? DecideTarget(inputs)) with
        {
            CurrentImage = ReportedImage.Of(desired, target, inputs.Host.Booted),
            Key = target?.Key,
            RejectedImage = RejectionRules.Mark(inputs, target),
        };
        if (StagingSlotRule.Release(inputs, decision) is { } release)
        {
            return release;
        }

        // Our mark on a schedulable node (kubectl uncordon clears spec.unschedulable only) goes first, in one small write:
        // left there, an admin's later cordon would carry it and look like ours, and be lifted. A cordon of ours
        // rewrites the mark anyway. On a schedulable node the uncordon's patch changes nothing but the mark.
        return inputs.Node.StaleMark && decision.Action is not AgentAction.Cordon
            ? decision with { Action = new AgentAction.Uncordon() }
            : decision;
    }

    private static Decision DecideTarget(AgentInputs inputs)
    {
        if (string.IsNullOrEmpty(inputs.Node.DesiredImage))
        {
            return NothingDesired(inputs);
        }

        var target = DesiredTarget.TryCreate(inputs.Node.DesiredImage, inputs.Options, out var error);
        if (target is null)
        {
            return GiveBack(inputs, AgentState.Degraded, error, reason: error);
        }

        var record = inputs.Record.About(target.Key);
        if (RollbackRules.Decide(inputs, target, record) is { } rollback)
        {
            return rollback;
        }

        if (target.IsMatchedBy(inputs.Host.Booted))
        {
            return OnDesiredImage(inputs, target, record);
        }

        var outcome = GiveUpRules.RebootOutcome(inputs, target, record);
        if (outcome is { Action: AgentAction.Wait })
        {
            // A reboot under way is not abandoned, whatever else holds: the host is going down.
            return outcome;
        }

        if (inputs.NotesUnwritable is { } problem)
        {
            return GiveUpRules.CannotRemember(inputs, target, record, problem);
        }

        return outcome
            ?? GiveUpRules.Failed(inputs, target, record)
            ?? Rejected(inputs, target)
            ?? (inputs.Node.Paused ? Paused(inputs, target) : null)
            ?? (target.IsMatchedBy(inputs.Host.Staged) ? Disrupt(inputs, target, record) : Stage(inputs, target, record));
    }

    private static Decision NothingDesired(AgentInputs inputs)
    {
        var host = inputs.Host;
        if (inputs.Node.CordonedByUs || inputs.SlotHeld)
        {
            return GiveBack(inputs, AgentState.Idle, "no desired image", reason: null);
        }

        if (host.Staged is { ImageDigest: { } staged } && inputs.Record.LockedStage == staged)
        {
            return new(AgentState.Idle, new AgentAction.CleanupStaged(), $"no desired image; dropping our staged {Short(staged)}");
        }

        // The rejected image is not about the last desired image: it outlives it (set again, it is not staged).
        if (inputs.Record.WithoutRejection() != AgentRecord.Empty)
        {
            return new(AgentState.Idle, new AgentAction.ResetRecord(), "no desired image; forgetting notes about the last one");
        }

        return new(AgentState.Idle, new AgentAction.None(), $"no desired image; booted {Describe(host.Booted)}");
    }

    private static Decision OnDesiredImage(AgentInputs inputs, DesiredTarget target, AgentRecord record)
    {
        var booted = inputs.Host.Booted;
        var digest = booted.ImageDigest!.Value;
        // Verified before the cordon is lifted, so that the uncordon's write can say Done: one PATCH, and no moment in
        // which the node is schedulable again but still says it is being worked on. With the health gate on, only once it
        // passed: until then our cordon and slot stay, and a failure rolls back.
        if (record.Reboot is not null)
        {
            if (GateRules.On(inputs))
            {
                var (step, final) = GateRules.Step(inputs, record, digest);
                if (step is not null)
                {
                    return step;
                }

                if (final is Health.HealthVerdict.Failed failed)
                {
                    return RollbackRules.Start(inputs, target, digest, failed.Reason);
                }
            }

            return new(AgentState.Verifying, new AgentAction.CompleteVerification(digest), $"verified: booted {target.Image.Name}@{digest}");
        }

        // The same line from here on (uncordon, release, rest): the release and the rest then need no write of their own.
        if (inputs.Node.CordonedByUs)
        {
            return new(AgentState.Idle, new AgentAction.Uncordon(), UpToDate(target, digest));
        }

        if (inputs.SlotHeld)
        {
            return new(AgentState.Idle, new AgentAction.ReleaseSlot(), UpToDate(target, digest));
        }

        // Any notes, not only those about this target: set back to the booted image mid-drain, the stage we made for the
        // abandoned one is ours and must go, else the next unplanned reboot would boot it.
        if (inputs.Host.Staged is { ImageDigest: { } staged } && staged != digest && inputs.Record.LockedStage == staged)
        {
            return new(AgentState.Idle, new AgentAction.CleanupStaged(), $"booted the desired image; dropping our staged {Short(staged)}");
        }

        return new(AgentState.Idle, new AgentAction.None(), UpToDate(target, digest));
    }

    private static string UpToDate(DesiredTarget target, Digest digest) => $"up to date: booted {target.Image.Name}@{digest}";

    /// <summary>A rejected image (rolled back or fallen back from) is never staged again while it is desired; what we hold goes back.</summary>
    private static Decision? Rejected(AgentInputs inputs, DesiredTarget target)
    {
        if (RejectionRules.Blocking(inputs, target) is not { } rejected)
        {
            return null;
        }

        var reason = $"{rejected} was rejected after a failed health gate or a fallback; it is not staged again until another digest "
            + "is desired or the node's rejected-image annotation is removed";
        return GiveBack(inputs, AgentState.Degraded, reason, reason);
    }

    /// <summary>Paused: staging goes on (it disrupts nothing), but nothing past it, and our cordon is given back.</summary>
    private static Decision? Paused(AgentInputs inputs, DesiredTarget target)
    {
        if (inputs.Node.CordonedByUs || inputs.SlotHeld)
        {
            return GiveBack(inputs, AgentState.Paused, "paused", reason: null);
        }

        return target.IsMatchedBy(inputs.Host.Staged)
            ? new(AgentState.Paused, new AgentAction.None(), $"paused; {target.Image} is staged")
            : null;
    }

    private static Decision Stage(AgentInputs inputs, DesiredTarget target, AgentRecord record)
    {
        // Never hold a cordon or a slot while pulling: a slow or failing pull must not keep capacity away.
        var replaced = StageReplacement.Why(inputs, record);
        if (inputs.Node.CordonedByUs || inputs.SlotHeld)
        {
            return GiveBack(inputs, AgentState.Staging, $"staging {target.Image} first{replaced}", reason: null);
        }

        var staging = inputs.Options.Staging;
        if (record.StageFailures >= staging.MaxAttempts)
        {
            var reason = $"staging {target.Image} failed {record.StageFailures} time(s): {record.LastStageError}";
            return new(AgentState.Degraded, new AgentAction.RecordFailure(new(reason, AgentState.Staging)), reason, reason);
        }

        if (DecisionClock.StageBackoff(inputs, record) is { } remaining)
        {
            var next = inputs.Now + remaining;
            var message = $"staging {target.Image}: attempt {record.StageFailures + 1} at {next:u} after: {record.LastStageError}";
            return new(AgentState.Staging, new AgentAction.Wait(next), message);
        }

        var verified = inputs.Options.SignaturePolicy == SignaturePolicy.Verified;
        var refspec = OstreeRefspec.ForImage(target.Image, verified);
        var note = inputs.Node.Paused ? " (paused: holding before the cordon)" : "";
        return StagingSlotRule.BeforePull(inputs, target)
            ?? new(AgentState.Staging, new AgentAction.Stage(refspec, target.Image.Digest), $"staging {target.Image}{note}{replaced}");
    }

    /// <summary>Staged and wanted: slot, cordon, drain, finalize, each once.</summary>
    private static Decision Disrupt(AgentInputs inputs, DesiredTarget target, AgentRecord record)
    {
        var node = inputs.Node;
        var staged = inputs.Host.Staged!.ImageDigest!.Value;
        // A window that closes mid-drain does not abandon the drain, nor a drained node its reboot: that would disrupt
        // twice. Under an admin's cordon the disruption is ours only once we have drained.
        var underway = node.CordonedByUs || (node.Unschedulable && record.Drained);
        if (!inputs.WindowOpen && !underway)
        {
            return OutsideWindow(inputs, target);
        }

        if (inputs.Options.Fleet.Enabled && SlotRule.Slot(inputs, target, staged, underway) is { } slot)
        {
            return slot;
        }

        if (!node.Unschedulable)
        {
            // The drain's own words: the cordon's write carries this report, and the drain that follows then has
            // nothing new to write before its first progress line.
            return new(AgentState.Draining, new AgentAction.Cordon(), $"draining for {target.Image}");
        }

        if (!record.Drained)
        {
            return new(AgentState.Draining, new AgentAction.Drain(), $"draining for {target.Image}");
        }

        return new(AgentState.Rebooting, new AgentAction.Finalize(staged), $"rebooting into {target.Image.Name}@{staged}");
    }

    /// <summary>Staged but the window is closed: no slot held meanwhile, and wake up when it opens.</summary>
    private static Decision OutsideWindow(AgentInputs inputs, DesiredTarget target)
    {
        var waiting = $"{target.Image} is staged; waiting for the maintenance window";
        if (inputs.NextWindowOpening is { } opening)
        {
            waiting += $" ({OpeningText.Describe(opening, inputs.Options.Maintenance.TimeZone, inputs.Now)})";
        }

        // A slot taken just before the window closed would keep another node of the pool, maybe in its own window, waiting.
        if (inputs.SlotHeld)
        {
            return new(AgentState.Staged, new AgentAction.ReleaseSlot(), $"{waiting}; giving the slot back");
        }

        var until = inputs.NextWindowOpening is { } next && next > inputs.Now ? next : inputs.Now + WindowRecheck;
        return new(AgentState.Staged, new AgentAction.Wait(until), waiting);
    }

    /// <summary>Gives back our cordon, then our slot, one step at a time; then settles in <paramref name="state"/>.</summary>
    internal static Decision GiveBack(AgentInputs inputs, AgentState state, string message, string? reason)
    {
        if (inputs.Node.CordonedByUs)
        {
            return new(state, new AgentAction.Uncordon(), $"{message}; lifting our cordon", reason);
        }

        return inputs.SlotHeld
            ? new(state, new AgentAction.ReleaseSlot(), $"{message}; giving the slot back", reason)
            : new(state, new AgentAction.None(), message, reason);
    }

    internal static string Describe(HostDeployment deployment) =>
        deployment.ImageDigest is { } digest
            ? $"{deployment.Image?.Name ?? deployment.ContainerImageReference}@{digest}"
            : $"ostree commit {deployment.Checksum}";

    internal static string Short(Digest digest) => digest.ToString()[..19];
}
