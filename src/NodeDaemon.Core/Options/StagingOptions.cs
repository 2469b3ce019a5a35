namespace NodeDaemon.Core.Options;

/// <summary>Settings for pulling and staging the desired image through rpm-ostree.</summary>
public sealed record StagingOptions
{
    /// <summary>Stage attempts for one desired image before the node is reported Degraded.</summary>
    public int MaxAttempts { get; init; } = NodeDaemonOptionsDefaults.StageMaxAttempts;

    /// <summary>Delay before the second attempt; it doubles for each further attempt.</summary>
    public TimeSpan RetryDelay { get; init; } = NodeDaemonOptionsDefaults.StageRetryDelay;

    /// <summary>Longest one rpm-ostree transaction may run before it is cancelled.</summary>
    public TimeSpan TransactionTimeout { get; init; } = NodeDaemonOptionsDefaults.TransactionTimeout;

    /// <summary>Longest the daemon waits for another client's transaction to end.</summary>
    public TimeSpan BusyWait { get; init; } = NodeDaemonOptionsDefaults.BusyWait;
}
