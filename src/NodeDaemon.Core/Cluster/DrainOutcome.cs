namespace NodeDaemon.Core.Cluster;

/// <summary>How a drain ended.</summary>
public enum DrainOutcome
{
    /// <summary>Every pod that had to go is gone.</summary>
    Drained,

    /// <summary>A pod the policies do not allow to evict is on the node; nothing was evicted.</summary>
    Refused,

    /// <summary>The API server refused in a way retrying cannot fix (a pod under two budgets); the drain stopped at once.</summary>
    Stopped,

    /// <summary>The drain did not finish within its timeout; the caller applies the on-timeout policy.</summary>
    TimedOut,
}
