namespace NodeDaemon.Core.Health;

/// <summary>What the health gate needs to know about the boot it judges.</summary>
/// <param name="NodeName">The node the daemon runs on (the only one it reads).</param>
/// <param name="BootTime">When this boot started: evidence older than this (a stale Ready) does not count.</param>
/// <param name="GateStarted">When the gate began to wait on this boot: the timeout counts from here.</param>
public sealed record HealthCheckContext(string NodeName, DateTimeOffset BootTime, DateTimeOffset GateStarted)
{
    /// <summary>The node's Ready condition as the daemon's own node watch shows it, when that watch is current; null to read the node.</summary>
    public WatchedReady? Watched { get; init; }
}

/// <summary>The node's Ready condition as a current node watch shows it (a live watch of this process, which began after the boot).</summary>
/// <param name="Ready">The condition; null when the node has none.</param>
public sealed record WatchedReady(NodeReadyCondition? Ready);
