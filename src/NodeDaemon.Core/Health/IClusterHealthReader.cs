namespace NodeDaemon.Core.Health;

/// <summary>The seam to the API server for the gate: this node's Ready condition and the critical pods on it.</summary>
public interface IClusterHealthReader
{
    /// <summary>One reading, one request per item; throws <see cref="Cluster.ClusterException"/> when the API server gives no answer.</summary>
    Task<ClusterReading> ReadAsync(IReadOnlyList<string> criticalPodSelectors, CancellationToken cancellationToken);

    /// <summary>The critical pods alone, one request per selector (none without selectors), for a gate that has the node's Ready from
    /// the node watch; throws <see cref="Cluster.ClusterException"/> when the API server gives no answer.</summary>
    Task<IReadOnlyList<SelectorEvidence>> ReadPodsAsync(IReadOnlyList<string> criticalPodSelectors, CancellationToken cancellationToken);
}

/// <summary>What one reading of the API server gave: the Node's Ready condition and, per selector, its pods on this node.</summary>
public sealed record ClusterReading(NodeReadyCondition? Ready, IReadOnlyList<SelectorEvidence> Selectors);
