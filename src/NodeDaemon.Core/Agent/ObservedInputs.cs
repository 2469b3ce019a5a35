using NodeDaemon.Core.Cluster;
using NodeDaemon.Core.Host;
using NodeDaemon.Core.Maintenance;
using NodeDaemon.Core.Options;

namespace NodeDaemon.Core.Agent;

/// <summary>The decider's inputs from what was observed (the node, the host, the notes, the clock): one rule for the loop and for <c>explain</c>.</summary>
/// <remarks>What only a running daemon knows (its slot, the boot's monotonic clock, a failed write of the notes) the loop adds with <c>with</c>.</remarks>
public static class ObservedInputs
{
    /// <summary>The inputs for <paramref name="node"/> (see <see cref="NodeSnapshot.ToView(NodeDaemonOptions)"/>) on <paramref name="host"/> in boot <paramref name="bootId"/> at <paramref name="now"/>.</summary>
    public static AgentInputs From(NodeView node, HostStatus host, string bootId, AgentRecord record, NodeDaemonOptions options, MaintenanceSchedule schedule,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(schedule);
        var open = schedule.IsOpen(now);
        // The opening goes into the decision's Wait, which is how the loop wakes when the window opens.
        return new AgentInputs(node, new HostView(host.Booted, host.Staged, bootId, host.Rollback, host.Default), record, options, now,
            WindowOpen: open, NextWindowOpening: open ? null : schedule.NextOpening(now));
    }
}
