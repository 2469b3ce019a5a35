namespace NodeDaemon.Core.Host;

/// <summary>The kinds of host failure the agent treats differently.</summary>
public enum HostErrorKind
{
    /// <summary>The operation ran and failed (a pull error, a refused finalization).</summary>
    Failed,

    /// <summary>Another client's transaction kept the host busy past the wait.</summary>
    Busy,

    /// <summary>The transaction did not finish in time and was cancelled.</summary>
    TimedOut,

    /// <summary>The host service is not reachable (not running, bus down).</summary>
    Unavailable,

    /// <summary>The staged image is not the one asked for (a moved tag); it must not be finalized.</summary>
    DigestMismatch,

    /// <summary>A <c>block</c>-mode shutdown inhibitor refused the finalization before the unlock; it may be retried later.</summary>
    Inhibited,
}
