namespace NodeDaemon.Core.Cluster;

/// <summary>The agent's narrow view of its own Node in the cluster: read, watch, report, cordon, drain, record events.</summary>
/// <remarks>
/// Transient API trouble (500s, 429s, conflicts, refused connections) is retried inside; what escapes is a
/// <see cref="ClusterException"/> once the retries are spent, or cancellation.
/// </remarks>
public interface INodeClient
{
    /// <summary>The own node as the API server has it now.</summary>
    Task<NodeSnapshot> GetAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The own node now, then every change of it, without polling: lists, then watches from the listed version, and
    /// reconnects or re-lists by itself. Ends only with cancellation.
    /// </summary>
    IAsyncEnumerable<NodeSnapshot> WatchAsync(CancellationToken cancellationToken);

    /// <summary>Writes the daemon's output annotations (state, phase, reason, message, current image) and only those.</summary>
    Task ReportAsync(NodeReport report, CancellationToken cancellationToken);

    /// <summary>
    /// Writes <paramref name="conditions"/> (the daemon's own types only) to the node's status, merged by type so the
    /// kubelet's conditions stay as they are; each keeps the transition time the node shows while its status is unchanged.
    /// A <paramref name="report"/> rides along in the same write (the status subresource keeps metadata changes), so a
    /// phase change costs one request, not two.
    /// </summary>
    Task SetConditionsAsync(IReadOnlyList<NodeConditionValue> conditions, NodeReport? report, CancellationToken cancellationToken);

    /// <summary>
    /// Cordons the node and marks the cordon as ours, in one write that also carries <paramref name="report"/> when
    /// given; not <see cref="CordonResult.Changed"/> (no mark, no report written) when it was already unschedulable.
    /// The result carries the node as written, or as read.
    /// </summary>
    Task<CordonResult> CordonAsync(NodeReport? report, CancellationToken cancellationToken);

    /// <summary>
    /// Lifts the cordon only when we hold the mark, removing both in one write that also carries <paramref name="report"/>
    /// when given; not <see cref="CordonResult.Changed"/> (no report written) when the cordon is not ours. The result
    /// carries the node as written, or as read.
    /// </summary>
    Task<CordonResult> UncordonAsync(NodeReport? report, CancellationToken cancellationToken);

    /// <summary>Evicts the node's pods through the Eviction API, honouring disruption budgets; never deletes pods directly.</summary>
    Task<DrainResult> DrainAsync(DrainRequest request, IProgress<DrainProgress>? progress, CancellationToken cancellationToken);

    /// <summary>Records a Kubernetes Event on the Node, counting repeats of the same reason and message on one event.</summary>
    Task RecordEventAsync(NodeEventKind kind, string message, bool warning, CancellationToken cancellationToken);
}
