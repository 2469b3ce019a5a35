namespace NodeDaemon.Kubernetes.Drain;

/// <summary>What one eviction request came to.</summary>
internal enum EvictionKind
{
    /// <summary>Accepted: the pod is being deleted gracefully.</summary>
    Accepted,

    /// <summary>The pod (with this uid) no longer exists.</summary>
    Gone,

    /// <summary>A disruption budget refused it for now (429).</summary>
    Blocked,

    /// <summary>Refused in a way retrying cannot fix (more than one budget).</summary>
    Fatal,

    /// <summary>Throttled or a server error: retry.</summary>
    Retry,
}

/// <summary>One eviction answer: its kind, a message, the budget that refused (and why, in words), and the server's retry hint.</summary>
internal sealed record EvictionAnswer(EvictionKind Kind, string Message, string? Budget = null, TimeSpan? RetryAfter = null, string? Why = null);
