namespace NodeDaemon.Core.Cluster;

/// <summary>The transitions recorded as Events on the Node; the name is the Event's reason.</summary>
/// <remarks>The agent records Staged, Rebooting, Verified, Degraded and RollingBack; Staging and Draining stay as reasons
/// (older daemons wrote them) but are not recorded: the Node's conditions and the kubelet's NodeNotSchedulable show those
/// starts, and the Events that end them carry their lengths (docs/protocol.md, "Events").</remarks>
public enum NodeEventKind
{
    /// <summary>Pulling and staging the desired image (not recorded any more: OSUpdateProgressing turns True).</summary>
    Staging,

    /// <summary>The desired image is staged (the message says how long the pull took).</summary>
    Staged,

    /// <summary>Cordoned and evicting pods (not recorded any more: the kubelet records NodeNotSchedulable).</summary>
    Draining,

    /// <summary>Drained (the message says how many pods were evicted, and in how long), finalizing and rebooting.</summary>
    Rebooting,

    /// <summary>Booted on the desired digest.</summary>
    Verified,

    /// <summary>Gave up on the desired image.</summary>
    Degraded,

    /// <summary>The health gate failed on the desired image: rolling back to the previous deployment, then rebooting.</summary>
    RollingBack,
}
