namespace NodeDaemon.Core.Agent;

/// <summary>The wait for a shutdown inhibitor: finalizing again at an interval, Degraded only past the bound.</summary>
internal static class InhibitorRule
{
    /// <summary>Our finalize was refused by a <c>block</c>-mode shutdown inhibitor (in this boot) since <paramref name="since"/>.</summary>
    /// <remarks>rpm-ostree checks inhibitors before it unlocks the stage (<c>check_sd_inhibitor_locks</c>), so the
    /// stage is still locked and a later finalize is safe. Each turn either waits a short while or finalizes once
    /// (never a long wait inside one call), so the loop stays alive under the watchdog. Null hands the node to the
    /// usual flow: paused, or the cordon or the stage is no longer there, so it is cordoned and drained again first.</remarks>
    internal static Decision? Inhibited(AgentInputs inputs, DesiredTarget target, RebootRequest reboot, DateTimeOffset since)
    {
        var options = inputs.Options.Reboot;
        var refusal = reboot.Refusal ?? "a shutdown inhibitor lock in block mode";
        // Both waits on the boot's monotonic clock (the refusals all came in this boot): a stepped wall clock moves neither.
        var inhibitedFor = DecisionClock.Since(inputs, since, reboot.FromBootId, reboot.InhibitedMonotonic);
        if (inputs.Node.Paused)
        {
            return null;
        }

        if (inhibitedFor >= options.InhibitorWait)
        {
            var reason = $"gave up on {target.Image}: a shutdown inhibitor kept the host from finalizing for " +
                $"{(int)options.InhibitorWait.TotalSeconds} s (reboot.inhibitorWaitSeconds): {refusal}";
            return new(AgentState.Degraded, new AgentAction.RecordFailure(new(reason, AgentState.Rebooting)), reason, reason);
        }

        if (!inputs.Node.Unschedulable || !target.IsMatchedBy(inputs.Host.Staged))
        {
            return null;
        }

        var giveUpAt = inputs.Now + (options.InhibitorWait - inhibitedFor);
        var message = $"waiting for a shutdown inhibitor (until {giveUpAt:u}): {refusal}";
        var asked = DecisionClock.Since(inputs, reboot.RequestedAt, reboot.FromBootId, reboot.Monotonic);
        var retryAt = asked < options.InhibitorRetry ? inputs.Now + (options.InhibitorRetry - asked) : inputs.Now;
        return inputs.Now < retryAt
            ? new(AgentState.Rebooting, new AgentAction.Wait(retryAt < giveUpAt ? retryAt : giveUpAt), message)
            : new(AgentState.Rebooting, new AgentAction.Finalize(inputs.Host.Staged!.ImageDigest!.Value), message);
    }
}
