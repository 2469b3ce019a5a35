using NodeDaemon.Core.Host;
using NodeDaemon.Core.Options;

namespace NodeDaemon.Core.Agent;

/// <summary>What a node does with a slot it finds it holds when it starts: the slot-renewal policy, in one place.</summary>
public static class HeldSlotRules
{
    /// <summary>Whether a slot found held at start is renewed before anything else.</summary>
    /// <remarks>A holder back on the desired image hands its slot on in a moment, and that write says it is alive: no
    /// renewal first. One that is not (its reboot did not bring the image) renews: it keeps working.</remarks>
    public static bool RenewsAtStart(NodeView node, HostDeployment booted, NodeDaemonOptions options)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(options);
        return DesiredTarget.TryCreate(node.DesiredImage ?? "", options, out _)?.IsMatchedBy(booted) != true;
    }
}
