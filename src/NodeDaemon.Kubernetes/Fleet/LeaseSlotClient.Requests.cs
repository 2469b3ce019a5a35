using System.Text.Json.Nodes;
using NodeDaemon.Core.Cluster;
using NodeDaemon.Core.Fleet;
using NodeDaemon.Kubernetes.Api;

namespace NodeDaemon.Kubernetes.Fleet;

/// <summary>The requests of <see cref="LeaseSlotClient"/>: each read and write a <see cref="SlotStep"/> asks for, and the caches they feed.</summary>
public sealed partial class LeaseSlotClient
{
    /// <summary>
    /// Writes <paramref name="lease"/>, which names us, to name <paramref name="digest"/> and to be taken up (a hand-over
    /// mark goes); any other slot handed to us as well is passed on. Null when the Lease changed since it was read.
    /// </summary>
    private async Task<SlotAnswer?> TakeUpAsync(SlotLease lease, SlotMember member, string digest, CancellationToken cancellationToken)
    {
        var body = SlotLeaseBodies.Renew(lease, digest, Keys, _time.GetUtcNow(), _options.LeaseDuration);
        if (!await PutAsync(lease, body, member.Pool, ours: true, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        // Two holders finishing at once may both have picked us; one slot is all a node may use.
        foreach (var extra in _own.Own(member).Where(l => l.Name != lease.Name))
        {
            await PassOnAsync(extra, member, cancellationToken).ConfigureAwait(false);
        }

        if (lease.HandedOverBy is { } by)
        {
            LogTookUp(lease.Name, member.NodeName, by, digest);
            return new SlotAnswer.Acquired(lease.Name, HandedOverBy: by);
        }

        return new SlotAnswer.Held(lease.Name);
    }

    /// <summary>The slot Leases of <paramref name="member"/>'s pool, by index; those naming the member are kept as ours.</summary>
    private async Task<List<SlotLease>> ListLeasesAsync(SlotMember member, CancellationToken cancellationToken)
    {
        var list = await _sender.SendOkAsync(HttpMethod.Get, KubePaths.Leases(Namespace), null, KubePaths.Json, cancellationToken).ConfigureAwait(false);
        var leases = SlotLease.ReadList(list, member.Pool, Keys);
        _listed.Version = list["metadata"]?["resourceVersion"]?.GetValue<string>() ?? "";
        _own.Listed(member, leases);
        return leases;
    }

    /// <summary>The nodes of <paramref name="pool"/> by name, metadata only.</summary>
    private async Task<Dictionary<string, PoolNode>> ListPoolAsync(string pool, CancellationToken cancellationToken)
    {
        // Metadata only: PoolNode reads names and annotations, and real Nodes carry tens of KB of status each.
        var list = await _sender.ListMetadataAsync(KubePaths.NodesLabelled(_options.Fleet.PoolLabel, pool), cancellationToken).ConfigureAwait(false);
        var nodes = new Dictionary<string, PoolNode>(StringComparer.Ordinal);
        foreach (var item in list["items"] as JsonArray ?? [])
        {
            if (item is not null && PoolNode.Read(item, _options.NodeKeys) is { Name.Length: > 0 } node)
            {
                nodes[node.Name] = node;
            }
        }

        return nodes;
    }

    /// <summary>The nodes of <paramref name="pool"/> that carry the Degraded label, metadata only.</summary>
    private async Task<List<PoolNode>> ListDegradedAsync(string pool, CancellationToken cancellationToken)
    {
        var selector = $"{_options.Fleet.PoolLabel}={pool},{_options.NodeKeys.DegradedLabel}=true";
        var list = await _sender.ListMetadataAsync(KubePaths.NodesSelected(selector), cancellationToken).ConfigureAwait(false);
        return [.. (list["items"] as JsonArray ?? []).OfType<JsonObject>().Select(item => PoolNode.Read(item, _options.NodeKeys)).OfType<PoolNode>()];
    }

    /// <summary>The nodes named <paramref name="names"/>, read one by one; null for one that is gone (404).</summary>
    private async Task<Dictionary<string, PoolNode?>> ReadHoldersAsync(IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        var read = new Dictionary<string, PoolNode?>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            // Relabelled into another pool, or deleted: only a 404 means gone.
            var response = await _sender.SendAsync(HttpMethod.Get, KubePaths.Node(name), null, KubePaths.Json, cancellationToken).ConfigureAwait(false);
            read[name] = response switch
            {
                { StatusCode: 404 } => null,
                { IsSuccess: true, Body: { } body } => PoolNode.Read(body, _options.NodeKeys),
                _ => throw new ClusterException($"GET node {name}: {response.Message}", response.StatusCode),
            };
        }

        return read;
    }

    /// <summary>Creates the missing Lease, or takes the listed one with a PUT on its resourceVersion; false when another write won.</summary>
    private async Task<bool> TakeAsync(SlotCandidate candidate, string node, string digest, string pool, int slots, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (candidate.Existing is { } lease)
        {
            return await PutAsync(lease, SlotLeaseBodies.Take(lease, node, digest, slots, Keys, now, _options.LeaseDuration), pool, ours: true, cancellationToken)
                .ConfigureAwait(false);
        }

        var body = SlotLeaseBodies.Create(Namespace, candidate.Name, node, digest, slots, Keys, now, _options.LeaseDuration);
        var response = await _sender.SendAsync(HttpMethod.Post, KubePaths.Leases(Namespace), body, KubePaths.Json, cancellationToken, retryConflict: false)
            .ConfigureAwait(false);
        if (response.IsSuccess)
        {
            _own.Keep(response.Body is JsonObject written ? SlotLease.Read(written, pool, Keys) : null, candidate.Name, pool);
            return true;
        }

        return response.StatusCode == 409
            ? false
            : throw new ClusterException($"create Lease {Namespace}/{candidate.Name}: {response.Message}", response.StatusCode);
    }

    /// <summary>
    /// PUTs <paramref name="body"/> on the read version of <paramref name="lease"/>; false on 409 (written since) or 404
    /// (deleted since). The answer is kept as ours when <paramref name="ours"/> (a take, a renewal), else forgotten.
    /// </summary>
    private async Task<bool> PutAsync(SlotLease lease, JsonObject body, string pool, bool ours, CancellationToken cancellationToken)
    {
        var response = await _sender.SendAsync(HttpMethod.Put, KubePaths.Lease(Namespace, lease.Name), body, KubePaths.Json, cancellationToken, retryConflict: false)
            .ConfigureAwait(false);
        if (response.IsSuccess)
        {
            _own.Keep(ours && response.Body is JsonObject written ? SlotLease.Read(written, pool, Keys) : null, lease.Name, pool);
            return true;
        }

        if (response.StatusCode is 409 or 404)
        {
            _own.Keep(null, lease.Name, pool);
            return false;
        }

        throw new ClusterException($"update Lease {Namespace}/{lease.Name}: {response.Message}", response.StatusCode);
    }
}
