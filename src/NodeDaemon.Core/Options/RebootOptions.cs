namespace NodeDaemon.Core.Options;

/// <summary>Settings for the reboot into the staged image.</summary>
public sealed record RebootOptions
{
    /// <summary>Reboots tried for one desired image; a boot that comes back on the old image counts as one.</summary>
    public int MaxAttempts { get; init; } = NodeDaemonOptionsDefaults.RebootMaxAttempts;

    /// <summary>How long a requested reboot may take before the agent concludes it did not happen and counts an attempt.</summary>
    public TimeSpan RequestTimeout { get; init; } = NodeDaemonOptionsDefaults.RebootRequestTimeout;

    /// <summary>How long a <c>block</c>-mode shutdown inhibitor may hold the finalization off before the agent gives up.</summary>
    public TimeSpan InhibitorWait { get; init; } = NodeDaemonOptionsDefaults.RebootInhibitorWait;

    /// <summary>How often finalizing is tried again while a shutdown inhibitor holds it off.</summary>
    public TimeSpan InhibitorRetry { get; init; } = NodeDaemonOptionsDefaults.RebootInhibitorRetry;
}
