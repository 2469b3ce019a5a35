namespace NodeDaemon.Core.Agent;

/// <summary>The decider's staging slot rows (<c>fleet.maxStaging</c>): a slot right before the pull, given back right after it.</summary>
/// <remarks>
/// Staging stays outside the cordoned window: <see cref="BeforePull"/> is reached only once our cordon and disruption
/// slot are given back, so a node never holds capacity while it waits to pull. A node whose image is staged already
/// never gets here, so it needs no staging slot.
/// </remarks>
internal static class StagingSlotRule
{
    /// <summary>Before a pull with pulls bounded: null once the node holds a staging slot (it pulls); else asks for one, or
    /// waits until the refusal says to ask again.</summary>
    /// <remarks>A node without the pool label pulls unbounded: it has no pool whose Leases it could take, and it will not
    /// disrupt anything before the label is added (<see cref="SlotRule"/>).</remarks>
    internal static Decision? BeforePull(AgentInputs inputs, DesiredTarget target)
    {
        if (!inputs.Options.Fleet.StagingBounded || inputs.Node.Pool is null || inputs.StagingSlotHeld)
        {
            return null;
        }

        var refusal = inputs.StagingRefusal is { } r && r.Target == target.Key ? r : null;
        if (refusal is not null && inputs.Now < refusal.RetryAt)
        {
            return new(AgentState.Staging, new AgentAction.Wait(refusal.RetryAt), refusal.Message);
        }

        return new(AgentState.Staging, new AgentAction.AcquireStagingSlot(target.Key), refusal?.Message ?? $"staging {target.Image}: waiting for a staging slot");
    }

    /// <summary>A staging slot held while the turn decided anything but a pull: the pull ended (staged, failed, or no longer
    /// wanted), so the slot goes back first, in a step of its own; the decided step follows at the next turn.</summary>
    /// <remarks>So a staging slot is never held across a backoff, a drain or a reboot: a finalize is decided only after it.</remarks>
    internal static Decision? Release(AgentInputs inputs, Decision decided) =>
        inputs.StagingSlotHeld && decided.Action is not (AgentAction.Stage or AgentAction.AcquireStagingSlot)
            ? decided with { Action = new AgentAction.ReleaseStagingSlot() }
            : null;
}
