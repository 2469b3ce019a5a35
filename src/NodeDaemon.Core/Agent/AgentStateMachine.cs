namespace NodeDaemon.Core.Agent;

/// <summary>Holds the current <see cref="AgentState"/> and refuses transitions the flow does not allow.</summary>
/// <remarks>
/// Decisions are recomputed from observations, so the machine cannot steer; it is the tripwire that turns a
/// decision bug (say, rebooting straight out of Staging, skipping the drain) into a loud error instead of a
/// surprise reboot.
/// </remarks>
public sealed class AgentStateMachine
{
    private static readonly Dictionary<AgentState, AgentState[]> s_allowed = new()
    {
        // Any state is a legal resume point after a start, a crash or a reboot.
        [AgentState.Starting] = Enum.GetValues<AgentState>(),
        [AgentState.Idle] = [AgentState.Idle, AgentState.Staging, AgentState.Staged, AgentState.WaitingForSlot,
            AgentState.Draining, AgentState.Paused, AgentState.Degraded],
        [AgentState.Staging] = [AgentState.Staging, AgentState.Staged, AgentState.WaitingForSlot,
            AgentState.Draining, AgentState.Paused, AgentState.Idle, AgentState.Degraded],
        [AgentState.Staged] = [AgentState.Staged, AgentState.Staging, AgentState.WaitingForSlot,
            AgentState.Draining, AgentState.Paused, AgentState.Idle, AgentState.Degraded],
        [AgentState.WaitingForSlot] = [AgentState.WaitingForSlot, AgentState.Staging, AgentState.Staged,
            AgentState.Draining, AgentState.Paused, AgentState.Idle, AgentState.Degraded],
        // Back to Staged when the window closes before the disruption is ours to finish (an admin's cordon not yet
        // drained, or our cordon lifted by an admin); back to WaitingForSlot when the held slot must be asked for again
        // (it names another digest) before going on.
        [AgentState.Draining] = [AgentState.Draining, AgentState.WaitingForSlot, AgentState.Rebooting, AgentState.Staging,
            AgentState.Staged, AgentState.Paused, AgentState.Idle, AgentState.Degraded],
        // Back to Draining when a requested reboot never came: the drain is checked again before a second try.
        [AgentState.Rebooting] = [AgentState.Rebooting, AgentState.Verifying, AgentState.Draining, AgentState.Staging,
            AgentState.Staged, AgentState.WaitingForSlot, AgentState.Idle, AgentState.Degraded],
        [AgentState.Verifying] = [AgentState.Verifying, AgentState.Idle, AgentState.Staging, AgentState.Degraded],
        [AgentState.Paused] = [AgentState.Paused, AgentState.Staging, AgentState.Staged, AgentState.WaitingForSlot,
            AgentState.Draining, AgentState.Idle, AgentState.Degraded],
        // Staged, WaitingForSlot and Draining once notes that could not be written (a full disk) can be again: the
        // update goes on where it was held. Never Rebooting: a drain comes first.
        [AgentState.Degraded] = [AgentState.Degraded, AgentState.Idle, AgentState.Staging, AgentState.Paused, AgentState.Staged,
            AgentState.WaitingForSlot, AgentState.Draining],
    };

    /// <summary>The state the agent is in now.</summary>
    public AgentState Current { get; private set; } = AgentState.Starting;

    /// <summary>Whether the flow allows going from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static bool IsAllowed(AgentState from, AgentState to) =>
        s_allowed.TryGetValue(from, out var targets) && Array.IndexOf(targets, to) >= 0;

    /// <summary>Moves to <paramref name="target"/>; returns whether the state changed.</summary>
    /// <exception cref="IllegalTransitionException">The flow does not allow it.</exception>
    public bool TransitionTo(AgentState target)
    {
        if (!IsAllowed(Current, target))
        {
            throw new IllegalTransitionException(Current, target);
        }

        var changed = Current != target;
        Current = target;
        return changed;
    }
}
