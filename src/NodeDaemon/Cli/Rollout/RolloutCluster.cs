using System.Text.Json.Nodes;
using k8s;
using Microsoft.Extensions.Logging.Abstractions;
using NodeDaemon.Core.Cluster;
using NodeDaemon.Kubernetes.Api;

namespace NodeDaemon.Cli.Rollout;

/// <summary>The reads and writes the rollout verbs make, over the daemon's own API client (<see cref="KubeApi"/>, <see cref="ApiSender"/>).</summary>
internal sealed class RolloutCluster : IDisposable
{
    private readonly KubeApi _api;
    private readonly ApiSender _sender;

    public RolloutCluster(KubernetesClientConfiguration config)
    {
        var transport = new ApiTransportOptions { WriteAttempts = 3, RequestTimeout = TimeSpan.FromSeconds(30), BackoffMax = TimeSpan.FromSeconds(2) };
        _api = new KubeApi(config, transport.RequestTimeout);
        _sender = new ApiSender(_api, transport, TimeProvider.System, NullLogger.Instance);
    }

    /// <summary>The nodes <paramref name="labelSelector"/> selects, metadata only (names, versions, labels, annotations).</summary>
    public async Task<IReadOnlyList<JsonObject>> ListNodesAsync(string labelSelector, CancellationToken cancellationToken)
    {
        var list = await _sender.ListMetadataAsync(KubePaths.NodesSelected(labelSelector), cancellationToken).ConfigureAwait(false);
        return [.. (list["items"] as JsonArray ?? []).OfType<JsonObject>()];
    }

    /// <summary>One node, or null when it is gone (404).</summary>
    public async Task<JsonObject?> GetNodeAsync(string name, CancellationToken cancellationToken)
    {
        var response = await _sender.SendAsync(HttpMethod.Get, KubePaths.Node(name), null, KubePaths.Json, cancellationToken).ConfigureAwait(false);
        return response switch
        {
            { StatusCode: 404 } => null,
            { IsSuccess: true, Body: JsonObject body } => body,
            _ => throw new ClusterException($"GET node {name}: {response.Message}", response.StatusCode),
        };
    }

    /// <summary>The Leases of <paramref name="ns"/>; empty when the namespace has none or the admin may not list them.</summary>
    public async Task<IReadOnlyList<JsonObject>> ListLeasesAsync(string ns, CancellationToken cancellationToken)
    {
        var response = await _sender.SendAsync(HttpMethod.Get, KubePaths.Leases(ns), null, KubePaths.Json, cancellationToken).ConfigureAwait(false);
        return response switch
        {
            { IsSuccess: true, Body: { } body } => [.. (body["items"] as JsonArray ?? []).OfType<JsonObject>()],
            { StatusCode: 404 or 403 } => [],
            _ => throw new ClusterException($"GET leases in {ns}: {response.Message}", response.StatusCode),
        };
    }

    /// <summary>Sets (or, for a null value, removes) annotations of one node, only if it is still at <paramref name="resourceVersion"/>.</summary>
    /// <returns>The answer: 409 when the node changed since it was read.</returns>
    public Task<KubeResponse> AnnotateAsync(string node, string resourceVersion, IReadOnlyDictionary<string, string?> annotations, CancellationToken cancellationToken)
    {
        var values = new JsonObject();
        foreach (var (key, value) in annotations)
        {
            values[key] = value;
        }

        var patch = new JsonObject { ["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion, ["annotations"] = values } };
        return _sender.SendAsync(HttpMethod.Patch, KubePaths.Node(node), patch, KubePaths.MergePatch, cancellationToken, retryConflict: false);
    }

    /// <inheritdoc/>
    public void Dispose() => _api.Dispose();
}
