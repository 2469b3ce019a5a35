using NodeDaemon.Core.Options;

namespace NodeDaemon.Core.Agent;

/// <summary>Everything one decision looks at: a snapshot, so the decision is a pure function of it.</summary>
/// <param name="Node">The own Node object.</param>
/// <param name="Host">The host's deployments and boot.</param>
/// <param name="Record">The daemon's persisted notes.</param>
/// <param name="Options">The validated options.</param>
/// <param name="Now">The clock, passed in.</param>
/// <param name="SlotHeld">This node holds a slot of its pool (always false when fleet coordination is off).</param>
/// <param name="WindowOpen">The maintenance window allows disruption now.</param>
/// <param name="NextWindowOpening">When the window opens next, in its zone's offset, while it is closed; null when unknown.</param>
public sealed record AgentInputs(
    NodeView Node,
    HostView Host,
    AgentRecord Record,
    NodeDaemonOptions Options,
    DateTimeOffset Now,
    bool SlotHeld = false,
    bool WindowOpen = true,
    DateTimeOffset? NextWindowOpening = null);
