namespace NodeDaemon.Core.Health;

/// <summary>Everything the health gate saw at one moment: the API's view of this node (or its silence) and the local checks.</summary>
/// <param name="Cluster">The Node's Ready condition and the critical pods; null while the API server cannot be reached.</param>
/// <param name="ApiProblem">Why the API gave no evidence (unreachable, refused), for the message; null when it answered.</param>
/// <param name="Local">The local checks that are configured; the others are absent.</param>
public sealed record HealthEvidence(ClusterEvidence? Cluster, string? ApiProblem, LocalEvidence Local);

/// <summary>What the API server said about this node.</summary>
/// <param name="Ready">The Node's <c>Ready</c> condition; null when the kubelet has posted none.</param>
/// <param name="Selectors">For each configured critical pod selector, the pods on this node it matches.</param>
/// <param name="AnsweringSince">
/// Since when the API has answered without a break, as the collector saw it: after a silence the kubelet needs a moment
/// to post its status again, so the timeout does not fail the gate on API evidence younger than that.
/// </param>
public sealed record ClusterEvidence(NodeReadyCondition? Ready, IReadOnlyList<SelectorEvidence> Selectors, DateTimeOffset AnsweringSince);

/// <summary>The Node's <c>Ready</c> condition as the kubelet posted it (times from the kubelet's clock, which is this node's).</summary>
/// <param name="Status"><c>True</c>, <c>False</c> or <c>Unknown</c> (the node controller's mark for a silent kubelet).</param>
/// <param name="LastHeartbeatTime">When the kubelet last posted the condition.</param>
/// <param name="LastTransitionTime">When the status last changed.</param>
/// <param name="Reason">The condition's reason, e.g. <c>KubeletNotReady</c>, for the log.</param>
/// <param name="Message">The condition's message, for the log.</param>
public sealed record NodeReadyCondition(string Status, DateTimeOffset? LastHeartbeatTime, DateTimeOffset? LastTransitionTime, string? Reason, string? Message);

/// <summary>The pods on this node that one critical pod selector matches (terminating pods left out).</summary>
public sealed record SelectorEvidence(string Selector, IReadOnlyList<PodEvidence> Pods);

/// <summary>One critical pod's readiness.</summary>
/// <param name="Namespace">The pod's namespace.</param>
/// <param name="Name">The pod's name.</param>
/// <param name="Ready">Whether the pod's <c>Ready</c> condition is <c>True</c>.</param>
/// <param name="ReadySince">The <c>Ready</c> condition's <c>lastTransitionTime</c>.</param>
/// <param name="RunningSince">
/// The earliest <c>startedAt</c> of the pod's running containers; no container running before the boot survives it, so
/// a start after the boot is what shows the pod came back on this boot.
/// </param>
/// <param name="Restarts">The containers' restart counts, summed.</param>
/// <param name="WaitingReason">A waiting container's reason, e.g. <c>CrashLoopBackOff</c>; null when none waits.</param>
public sealed record PodEvidence(
    string Namespace,
    string Name,
    bool Ready,
    DateTimeOffset? ReadySince,
    DateTimeOffset? RunningSince,
    int Restarts,
    string? WaitingReason);

/// <summary>The local checks' evidence; a check that is not configured is empty or null.</summary>
/// <param name="Units">Each unit of <c>health.units</c>.</param>
/// <param name="BootComplete"><c>boot-complete.target</c>, when <c>health.bootComplete</c> is on.</param>
/// <param name="KubeletHealthz">The kubelet's healthz answer, when <c>health.kubeletHealthz</c> is set.</param>
public sealed record LocalEvidence(IReadOnlyList<UnitEvidence> Units, UnitEvidence? BootComplete, HealthzEvidence? KubeletHealthz)
{
    /// <summary>No local check configured.</summary>
    public static LocalEvidence None { get; } = new([], null, null);
}

/// <summary>One systemd unit's state as <c>org.freedesktop.systemd1</c> reports it.</summary>
/// <param name="Name">The unit's name, e.g. <c>crio.service</c>.</param>
/// <param name="LoadState">The unit's <c>LoadState</c> (<c>loaded</c>, <c>not-found</c>, <c>masked</c>, ...); null when unreadable.</param>
/// <param name="ActiveState">The unit's <c>ActiveState</c> (<c>active</c>, <c>failed</c>, <c>activating</c>, ...); null when unreadable.</param>
/// <param name="Error">Why the bus gave no answer (system bus unreachable); null when it did.</param>
public sealed record UnitEvidence(string Name, string? LoadState, string? ActiveState, string? Error);

/// <summary>The kubelet's healthz answer: an HTTP status code, or why there was none.</summary>
public sealed record HealthzEvidence(int? StatusCode, string? Error);
