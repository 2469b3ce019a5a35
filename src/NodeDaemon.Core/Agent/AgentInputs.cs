using NodeDaemon.Core.Fleet;
using NodeDaemon.Core.Health;
using NodeDaemon.Core.Options;

namespace NodeDaemon.Core.Agent;

/// <summary>Everything one decision looks at: a snapshot, so the decision is a pure function of it.</summary>
/// <param name="Node">The own Node object.</param>
/// <param name="Host">The host's deployments and boot.</param>
/// <param name="Record">The daemon's persisted notes.</param>
/// <param name="Options">The validated options.</param>
/// <param name="Now">The clock, passed in.</param>
/// <param name="Slot">The slot of its pool this node holds, with the digest it names when confirmed (see <see cref="HeldSlot"/>); null when none (always, with fleet coordination off).</param>
/// <param name="WindowOpen">The maintenance window allows disruption now.</param>
/// <param name="NextWindowOpening">When the window opens next, in its zone's offset, while it is closed; null when unknown.</param>
/// <param name="SlotRefusal">The last answer that gave no slot (full, or halted), with when to ask again; null when none.</param>
/// <param name="Monotonic">The boot's monotonic clock (see <see cref="Moment"/>); null when not known, and waits then use <paramref name="Now"/>.</param>
/// <param name="NotesUnwritable">Why the last write of the notes failed (a full disk); null once a write succeeds.</param>
/// <param name="StagingSlotHeld">This node holds a staging slot of its pool (<c>fleet.maxStaging</c>); always false when pulls are unbounded.</param>
/// <param name="StagingRefusal">The last staging slot request that got none, with when to ask again; null when none.</param>
/// <param name="NodeReady">The node's Ready condition as the kubelet last posted it; null when it has none (or it was not read).</param>
public sealed record AgentInputs(
    NodeView Node,
    HostView Host,
    AgentRecord Record,
    NodeDaemonOptions Options,
    DateTimeOffset Now,
    HeldSlot? Slot = null,
    bool WindowOpen = true,
    DateTimeOffset? NextWindowOpening = null,
    SlotRefusal? SlotRefusal = null,
    TimeSpan? Monotonic = null,
    string? NotesUnwritable = null,
    bool StagingSlotHeld = false,
    StagingRefusal? StagingRefusal = null,
    NodeReadyCondition? NodeReady = null)
{
    /// <summary>This node holds a slot of its pool.</summary>
    public bool SlotHeld => Slot is not null;
}
