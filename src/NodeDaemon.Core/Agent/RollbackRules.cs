using NodeDaemon.Core.Health;
using NodeDaemon.Core.Host;
using NodeDaemon.Core.Images;

namespace NodeDaemon.Core.Agent;

/// <summary>The automatic rollback after a failed health gate, once per target, and a fallback the host made on its own.</summary>
/// <remarks>
/// The order of one rollback: the gate fails on the target (noted), the rollback is noted and asked for (rpm-ostree
/// <c>Rollback</c> or <c>bootc rollback</c>, then logind's reboot: the same path as an update's reboot), the previous
/// deployment boots, the gate runs again on it, and only then the node reports Degraded with
/// <c>rolled back from &lt;image&gt;: &lt;gate reason&gt;</c>, the image rejected. Every step is a note, so a restart at any
/// point resumes it, and the noted request makes a second rollback for the same target impossible.
/// </remarks>
internal static class RollbackRules
{
    /// <summary>The step of a rollback under way or of a fallback the host made; null when neither applies.</summary>
    internal static Decision? Decide(AgentInputs inputs, DesiredTarget target, AgentRecord record)
    {
        if (record.Failure is not null)
        {
            return null;
        }

        return record.Rollback is { } rollback ? AfterRequest(inputs, target, record, rollback) : Fallback(inputs, target, record);
    }

    /// <summary>The gate failed on the target booted now (<paramref name="booted"/>): roll back to the previous deployment.</summary>
    internal static Decision Start(AgentInputs inputs, DesiredTarget target, Digest booted, string reason)
    {
        var rejected = Rejected(target, booted);
        if (inputs.Host.Rollback is not { } previous)
        {
            var alone = $"health gate failed on {rejected.Reference}: {reason}; there is no previous deployment to roll back to";
            return Fail(alone, AgentState.Verifying, keepCordon: true, rejected);
        }

        if (inputs.NotesUnwritable is { } problem)
        {
            // A rollback reboot the notes do not know of would look like a fallback of the host's, with nothing to resume.
            return new(AgentState.Verifying, new AgentAction.Wait(inputs.Now + Decider.NotesRetry),
                $"health gate failed on {rejected.Reference}: {reason}; the rollback waits until the daemon's notes can be written ({problem})");
        }

        return new(AgentState.Rebooting, new AgentAction.Rollback(rejected.Digest, rejected.Reference, reason, previous.Checksum, previous.ImageDigest),
            $"rolling back from {rejected.Reference}: {reason}");
    }

    /// <summary>The image a failed gate or a fallback rejects: the desired digest (a multi-arch index's too), or for a tag the one booted.</summary>
    internal static RejectedImage Rejected(DesiredTarget target, Digest booted)
    {
        var digest = target.Image.Digest ?? booted;
        return new($"{target.Image.Name}@{digest}", digest);
    }

    private static Decision AfterRequest(AgentInputs inputs, DesiredTarget target, AgentRecord record, RollbackRequest rollback)
    {
        var host = inputs.Host;
        var rejected = new RejectedImage(rollback.FromReference, rollback.From);
        var what = $"rolled back from {rollback.FromReference}: {rollback.Reason}";
        if (rollback.FromBootId == host.BootId)
        {
            var waited = DecisionClock.Since(inputs, rollback.RequestedAt, rollback.FromBootId, rollback.Monotonic);
            var timeout = inputs.Options.Reboot.RequestTimeout;
            if (waited < timeout)
            {
                // Not answered (the process died in between): asked again, as the same request. The host makes the previous
                // deployment the default only when it is not already (a second Rollback would swap the order back).
                return rollback.Accepted
                    ? new(AgentState.Rebooting, new AgentAction.Wait(inputs.Now + (timeout - waited)), $"rolling back from {rollback.FromReference}: {rollback.Reason}")
                    : new(AgentState.Rebooting, new AgentAction.Rollback(rollback.From, rollback.FromReference, rollback.Reason, rollback.PreviousChecksum, rollback.PreviousDigest),
                        $"rolling back from {rollback.FromReference}: {rollback.Reason}");
            }

            var late = rollback.Accepted ? $"the reboot asked at {rollback.RequestedAt:u} did not happen" : "the host never answered the rollback";
            return Fail($"health gate failed on {rollback.FromReference}: {rollback.Reason}; rolling back failed: {late}", AgentState.Rebooting, keepCordon: true, rejected);
        }

        if (host.Booted.Checksum != rollback.PreviousChecksum)
        {
            var booted = target.IsMatchedBy(host.Booted)
                ? "the host booted it again"
                : $"the host booted {Decider.Describe(host.Booted)}, not the previous deployment (commit {rollback.PreviousChecksum})";
            return Fail($"health gate failed on {rollback.FromReference}: {rollback.Reason}; after the rollback {booted}", AgentState.Rebooting, keepCordon: true, rejected);
        }

        var keep = inputs.Options.Health.KeepCordonAfterRollback;
        if (host.Booted.ImageDigest is not { } previous)
        {
            // Not a container image: the gate judges images only; the rollback itself succeeded.
            return Fail(what, AgentState.Verifying, keep, rejected);
        }

        var (step, final) = GateRules.Step(inputs, record, previous, $"{what}; the previous image: ");
        return step ?? (final is HealthVerdict.Failed failed
            ? Fail($"{what}; the previous image fails the health gate too: {failed.Reason}", AgentState.Verifying, keepCordon: true, rejected)
            : Fail(what, AgentState.Verifying, keep, rejected));
    }

    /// <summary>After our reboot into the target, the host booted another deployment while the target is still there, not staged:
    /// the bootloader's boot counting or greenboot went back on its own. Reported as such, and the target is not tried again.</summary>
    private static Decision? Fallback(AgentInputs inputs, DesiredTarget target, AgentRecord record)
    {
        var host = inputs.Host;
        if (record.Reboot is not { } reboot || reboot.FromBootId == host.BootId || target.IsMatchedBy(host.Booted))
        {
            return null;
        }

        var left = new[] { host.Rollback, host.Default }.FirstOrDefault(d => d is { Staged: false, ImageDigest: not null } && target.IsMatchedBy(d));
        if (left is null)
        {
            // The target is gone (the stage was lost, finalization failed): the reboot retry budget applies, as before.
            return null;
        }

        var rejected = Rejected(target, left.ImageDigest!.Value);
        var reason = $"the host fell back to {Decider.Describe(host.Booted)} after our reboot into {rejected.Reference}, "
            + "without a rollback of ours (a bootloader or greenboot fallback); it is not tried again";
        return Fail(reason, AgentState.Rebooting, inputs.Options.Health.KeepCordonAfterRollback, rejected);
    }

    private static Decision Fail(string reason, AgentState failedIn, bool keepCordon, RejectedImage rejected) =>
        new(AgentState.Degraded, new AgentAction.RecordFailure(new(reason, failedIn, keepCordon), rejected), reason, reason);
}
