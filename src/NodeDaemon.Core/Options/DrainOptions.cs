namespace NodeDaemon.Core.Options;

/// <summary>Settings for cordoning and draining the node before the reboot.</summary>
public sealed record DrainOptions
{
    /// <summary>Longest the whole drain may take before <see cref="OnTimeout"/> applies.</summary>
    public TimeSpan Timeout { get; init; } = NodeDaemonOptionsDefaults.DrainTimeout;

    /// <summary>What happens when the drain does not finish in time.</summary>
    public DrainTimeoutPolicy OnTimeout { get; init; } = DrainTimeoutPolicy.Uncordon;

    /// <summary>Evict pods that use emptyDir volumes (their data is lost).</summary>
    public bool DeleteEmptyDirData { get; init; }

    /// <summary>Evict pods that no controller will recreate.</summary>
    public bool EvictUnreplicated { get; init; }

    /// <summary>Evictions in flight at once.</summary>
    public int Concurrency { get; init; } = NodeDaemonOptionsDefaults.DrainConcurrency;

    /// <summary>Label selector; while a matching pod runs on the node, draining does not start. Empty disables.</summary>
    public string BlockingPodSelector { get; init; } = "";

    /// <summary>Grace period given to evicted pods; null keeps each pod's own.</summary>
    public TimeSpan? PodGracePeriod { get; init; }
}
