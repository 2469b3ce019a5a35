namespace NodeDaemon.Core.Agent;

/// <summary>The closed set of states the agent can be in; see docs/states.md.</summary>
public enum AgentState
{
    /// <summary>Just started; nothing decided yet (the first decision may name any state: a resume point).</summary>
    Starting,

    /// <summary>Booted on the desired image (or none is desired); nothing to do.</summary>
    Idle,

    /// <summary>Pulling and staging the desired image, locked against unplanned reboots.</summary>
    Staging,

    /// <summary>Staged and waiting for the maintenance window; nothing disrupted yet.</summary>
    Staged,

    /// <summary>Staged and waiting for a free slot in the pool.</summary>
    WaitingForSlot,

    /// <summary>Cordoned and evicting pods.</summary>
    Draining,

    /// <summary>Finalization requested; the host is going down.</summary>
    Rebooting,

    /// <summary>Booted after our reboot; checking the digest and giving the node back.</summary>
    Verifying,

    /// <summary>An admin holds the node before any disruption.</summary>
    Paused,

    /// <summary>Gave up on the desired image; the reason is on the node.</summary>
    Degraded,
}
