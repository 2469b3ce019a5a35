using System.Text.Json.Nodes;
using NodeDaemon.Core.Cluster;
using NodeDaemon.Kubernetes.Api;

namespace NodeDaemon.Kubernetes.Fleet;

/// <summary>The reads of a pool's nodes that the slot protocol makes: the whole pool, its Degraded nodes (the halt), holders by name.</summary>
/// <remarks>Metadata only where a list is made: <see cref="PoolNode"/> reads names and annotations, and real Nodes carry
/// tens of KB of status each.</remarks>
internal sealed class PoolNodeReader(ApiSender sender, LeaseSlotClientOptions options)
{
    /// <summary>The nodes of <paramref name="pool"/> by name.</summary>
    public async Task<Dictionary<string, PoolNode>> ListPoolAsync(string pool, CancellationToken cancellationToken)
    {
        var list = await sender.ListMetadataAsync(KubePaths.NodesLabelled(options.Fleet.PoolLabel, pool), cancellationToken).ConfigureAwait(false);
        var nodes = new Dictionary<string, PoolNode>(StringComparer.Ordinal);
        foreach (var item in list["items"] as JsonArray ?? [])
        {
            if (item is not null && PoolNode.Read(item, options.NodeKeys) is { Name.Length: > 0 } node)
            {
                nodes[node.Name] = node;
            }
        }

        return nodes;
    }

    /// <summary>The nodes of <paramref name="pool"/> that carry the Degraded label: all the halt needs while every slot is held.</summary>
    public async Task<List<PoolNode>> ListDegradedAsync(string pool, CancellationToken cancellationToken)
    {
        var selector = $"{options.Fleet.PoolLabel}={pool},{options.NodeKeys.DegradedLabel}=true";
        var list = await sender.ListMetadataAsync(KubePaths.NodesSelected(selector), cancellationToken).ConfigureAwait(false);
        return [.. (list["items"] as JsonArray ?? []).OfType<JsonObject>().Select(item => PoolNode.Read(item, options.NodeKeys)).OfType<PoolNode>()];
    }

    /// <summary>
    /// The first <paramref name="limit"/> nodes of <paramref name="pool"/>, in name order, that carry the waiting label, and
    /// every Degraded one: what choosing a successor needs (<see cref="SlotRules.Successor"/> takes the waiters in name
    /// order and picks at most the slot count's place among them; the halt counts the Degraded). Two small reads instead of
    /// the whole pool, which a pool of thousands would otherwise send once per update. With nobody waiting the Degraded
    /// nodes are not read: there is no successor whose halt they could decide, and the slot is freed either way.
    /// </summary>
    public async Task<List<PoolNode>> ListSuccessorsAsync(string pool, int limit, CancellationToken cancellationToken)
    {
        var selector = $"{options.Fleet.PoolLabel}={pool},{options.NodeKeys.WaitingLabel}=true";
        var list = await sender.ListMetadataAsync(KubePaths.NodesSelected(selector, limit), cancellationToken).ConfigureAwait(false);
        // A server that ignores the limit (an old one, or a proxy) answers more: only the first limit count, as a real one would.
        var waiting = (list["items"] as JsonArray ?? []).OfType<JsonObject>().Select(item => PoolNode.Read(item, options.NodeKeys)).OfType<PoolNode>()
            .OrderBy(n => n.Name, StringComparer.Ordinal).Take(limit).ToList();
        if (waiting.Count == 0)
        {
            return waiting;
        }

        var degraded = await ListDegradedAsync(pool, cancellationToken).ConfigureAwait(false);
        return [.. waiting.Concat(degraded).DistinctBy(n => n.Name, StringComparer.Ordinal)];
    }

    /// <summary>The nodes named <paramref name="names"/>, read one by one; null for one that is gone (404).</summary>
    public async Task<Dictionary<string, PoolNode?>> ReadHoldersAsync(IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        var read = new Dictionary<string, PoolNode?>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            // Relabelled into another pool, or deleted: only a 404 means gone.
            var response = await sender.SendAsync(HttpMethod.Get, KubePaths.Node(name), null, KubePaths.Json, cancellationToken).ConfigureAwait(false);
            read[name] = response switch
            {
                { StatusCode: 404 } => null,
                { IsSuccess: true, Body: { } body } => PoolNode.Read(body, options.NodeKeys),
                _ => throw new ClusterException($"GET node {name}: {response.Message}", response.StatusCode),
            };
        }

        return read;
    }
}
