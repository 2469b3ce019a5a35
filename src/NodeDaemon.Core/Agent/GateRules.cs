using NodeDaemon.Core.Health;
using NodeDaemon.Core.Images;
using NodeDaemon.Core.Options;

namespace NodeDaemon.Core.Agent;

/// <summary>The decider's health-gate step after a boot of ours: ask the gate, wait between asks, or hand on its final answer.</summary>
/// <remarks>The gate's own rules (its timeout, API silence, grace periods) are the gate's (<see cref="IHealthGate"/>); here only
/// when to ask, and what its noted answer means for the turn. Our cordon and slot stay while it runs: nothing is given back before Passed.</remarks>
internal static class GateRules
{
    /// <summary>How long after a Waiting answer the gate is asked again without news: the kubelet's own
    /// <c>nodeStatusUpdateFrequency</c> (10 s by default), the period at which it looks at the node's status.</summary>
    /// <remarks>Not the gate's pace: a change of the node's Ready condition asks at once (<see cref="NextAsk"/>). This fallback is for
    /// what the node watch does not show (critical pods, local checks), for an event the watch lost, and for API silence.</remarks>
    internal static readonly TimeSpan Recheck = TimeSpan.FromSeconds(10);

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
                var action = NextAsk(note, inputs.NodeReady, inputs.Options.Health, inputs.Now) is { } due
                    ? (AgentAction)new AgentAction.Wait(due)
                    : new AgentAction.CheckHealth(image);
                return (new(AgentState.Verifying, action, prefix + waiting.Message), null);
            default:
                return (new(AgentState.Verifying, new AgentAction.CheckHealth(image), $"{prefix}waiting for the health gate on {Decider.Short(image)}"), null);
        }
    }

    /// <summary>When to ask the gate again after its Waiting answer <paramref name="note"/>: null to ask now, else the instant to ask at.</summary>
    /// <remarks>The one rule of when the gate is asked. Now, when the node's Ready condition is not the one the last ask saw
    /// (the kubelet posted: the node watch woke the loop); else at the next of the fallback <see cref="Recheck"/> and the
    /// instants the gate's own rules turn on (its timeout, the critical pods' grace), so those are judged when they come.</remarks>
    /// <param name="note">The gate's last answer (Waiting) on this boot.</param>
    /// <param name="nodeReady">The node's Ready condition as the loop sees it now.</param>
    /// <param name="health">The gate's options.</param>
    /// <param name="now">The clock.</param>
    internal static DateTimeOffset? NextAsk(HealthNote note, NodeReadyCondition? nodeReady, HealthOptions health, DateTimeOffset now)
    {
        // A wall clock stepped back makes the last ask look like the future: ask now rather than wait on it.
        if (note.CheckedAt > now || !Equals(nodeReady, note.SawReady))
        {
            return null;
        }

        var due = note.CheckedAt + Recheck;
        var started = note.Started.Wall;
        due = Sooner(due, note.CheckedAt, started + health.Timeout);
        if ((health.CriticalPodSelectors ?? []).Count > 0)
        {
            due = Sooner(due, note.CheckedAt, started + health.CriticalPodGrace);
        }

        return now >= due ? null : due;
    }

    // An instant still ahead of the last ask, before the due time, brings the ask forward to it.
    private static DateTimeOffset Sooner(DateTimeOffset due, DateTimeOffset checkedAt, DateTimeOffset instant) =>
        checkedAt < instant && instant < due ? instant : due;
}
