namespace NodeDaemon.Metrics;

/// <summary>The <c>kind</c> label of <c>nodedaemon_failures_total</c>: which step failed.</summary>
public enum FailureKind
{
    /// <summary>A stage attempt (pull and deploy) failed; it is retried within <c>staging.maxAttempts</c>.</summary>
    Stage,

    /// <summary>The finalization call failed; the reboot budget decides what follows.</summary>
    Finalize,

    /// <summary>A drain timed out or was blocked.</summary>
    Drain,

    /// <summary>The host came back from our reboots without the desired image, and the agent gave up.</summary>
    Verify,

    /// <summary>Writing the node's annotations or an event failed (best effort; the next turn tries again).</summary>
    Api,

    /// <summary>A whole turn failed (the API, rpm-ostreed or the disk, its retries spent); retried after a backoff.</summary>
    Turn,
}
