using NodeDaemon.Core.Health;
using NodeDaemon.Core.Images;

namespace NodeDaemon.Core.Agent;

/// <summary>The decider's health-gate step after a boot of ours: ask the gate, wait between asks, or hand on its final answer.</summary>
/// <remarks>The gate's own rules (its timeout, API silence, grace periods) are the gate's (<see cref="IHealthGate"/>); here only
/// when to ask, and what its noted answer means for the turn. Our cordon and slot stay while it runs: nothing is given back before Passed.</remarks>
internal static class GateRules
{
    /// <summary>How long after a Waiting answer the gate is asked again (a node change wakes the loop too, and waits for this).</summary>
    internal static readonly TimeSpan Recheck = TimeSpan.FromSeconds(5);

    /// <summary>The gate is on (<c>health.timeoutSeconds</c> above zero); off, a boot of the desired digest is Done at once, as before the gate.</summary>
    internal static bool On(AgentInputs inputs) => inputs.Options.Health.Timeout > TimeSpan.Zero;

    /// <summary>The gate's final answer about <paramref name="image"/> booted now (Passed or Failed), or the step that gets one.</summary>
    /// <param name="inputs">The decision's inputs.</param>
    /// <param name="record">The notes about the target.</param>
    /// <param name="image">The digest booted now.</param>
    /// <param name="prefix">Put before the gate's words in the message (after a rollback: what was rolled back); empty for the target.</param>
    internal static (Decision? Step, HealthVerdict? Final) Step(AgentInputs inputs, AgentRecord record, Digest image, string prefix = "")
    {
        var note = record.Health is { } n && n.IsAbout(image, inputs.Host.BootId) ? n : null;
        switch (note?.Verdict)
        {
            case HealthVerdict.Passed or HealthVerdict.Failed:
                return (null, note.Verdict);
            case HealthVerdict.Waiting waiting:
                var due = note.CheckedAt + Recheck;
                // A wall clock stepped back makes the last ask look like the future: ask now rather than wait on it.
                var action = inputs.Now < due && note.CheckedAt <= inputs.Now ? (AgentAction)new AgentAction.Wait(due) : new AgentAction.CheckHealth(image);
                return (new(AgentState.Verifying, action, prefix + waiting.Message), null);
            default:
                return (new(AgentState.Verifying, new AgentAction.CheckHealth(image), $"{prefix}waiting for the health gate on {Decider.Short(image)}"), null);
        }
    }
}
