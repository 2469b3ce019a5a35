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
/// <param name="Kind">What the answer came to.</param>
/// <param name="Message">The server's message (for <see cref="EvictionKind.Fatal"/>: the whole line, naming the pod).</param>
/// <param name="Budget">The budget that refused for now (<see cref="EvictionKind.Blocked"/>).</param>
/// <param name="RetryAfter">The server's retry hint.</param>
/// <param name="Why">The refusing budget's numbers, in words.</param>
/// <param name="Budgets">The budgets (<c>namespace/name</c>) selecting a pod refused for having more than one.</param>
internal sealed record EvictionAnswer(EvictionKind Kind, string Message, string? Budget = null, TimeSpan? RetryAfter = null, string? Why = null,
    IReadOnlyList<string>? Budgets = null);
