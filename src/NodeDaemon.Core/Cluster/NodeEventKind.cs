namespace NodeDaemon.Core.Cluster;

/// <summary>The transitions recorded as Events on the Node, one each; the name is the Event's reason.</summary>
public enum NodeEventKind
{
    /// <summary>Pulling and staging the desired image.</summary>
    Staging,

    /// <summary>The desired image is staged.</summary>
    Staged,

    /// <summary>Cordoned and evicting pods.</summary>
    Draining,

    /// <summary>Drained (the message says how many pods were evicted), finalizing and rebooting.</summary>
    Rebooting,

    /// <summary>Booted on the desired digest.</summary>
    Verified,

    /// <summary>Gave up on the desired image.</summary>
    Degraded,

    /// <summary>The health gate failed on the desired image: rolling back to the previous deployment, then rebooting.</summary>
    RollingBack,
}
