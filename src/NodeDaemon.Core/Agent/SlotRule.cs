using NodeDaemon.Core.Images;

namespace NodeDaemon.Core.Agent;

/// <summary>The decider's slot step with fleet coordination on: hold a slot that names the staged digest before any disruption.</summary>
internal static class SlotRule
{
    /// <summary>Fleet on: null once we hold a slot naming <paramref name="staged"/>; else asks for one, or says why not yet.</summary>
    /// <remarks>With <paramref name="underway"/> (our cordon, or a drained admin cordon) asking again is reported as
    /// <see cref="AgentState.Draining"/>: the node is cordoned for this update, and its phase says so.</remarks>
    internal static Decision? Slot(AgentInputs inputs, DesiredTarget target, Digest staged, bool underway)
    {
        // A slot held for another digest (the desired image changed while we held it) or for one not confirmed (see
        // HeldSlot.Digest) is asked for again before anything is disrupted: the Held answer rewrites the Lease's digest,
        // and that write makes a takeover based on our Done on the old digest fail with 409.
        if (inputs.Slot?.Digest == staged)
        {
            return null;
        }

        if (inputs.Node.Pool is null)
        {
            // Not Degraded: nothing failed, and adding the label is all it takes (the watch then brings the change).
            return new(AgentState.WaitingForSlot, new AgentAction.None(),
                $"{target.Image} is staged; not in a pool: label {inputs.Options.Fleet.PoolLabel} missing; fleet coordination needs it");
        }

        // A slot whose digest is not confirmed (known from the slot client's memory after a restart, or handed over) is
        // asked for again without leaving the drain.
        var waiting = underway ? AgentState.Draining : AgentState.WaitingForSlot;
        var refusal = inputs.SlotRefusal is { } r && r.Digest == staged ? r : null;
        if (refusal is not null && inputs.Now < refusal.RetryAt)
        {
            // Asking again on every node change would hammer the API for nothing: slots free up on others' nodes.
            return new(waiting, new AgentAction.Wait(refusal.RetryAt), refusal.Message);
        }

        var message = refusal?.Message
            ?? (inputs.SlotHeld ? $"{target.Image} is staged; making our slot name {Decider.Short(staged)}" : $"{target.Image} is staged; waiting for a slot");
        return new(waiting, new AgentAction.AcquireSlot(staged), message);
    }
}
