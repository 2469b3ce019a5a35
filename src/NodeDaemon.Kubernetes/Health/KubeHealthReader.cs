using System.Text.Json;
using NodeDaemon.Core.Cluster;
using NodeDaemon.Core.Health;
using NodeDaemon.Kubernetes.Api;

namespace NodeDaemon.Kubernetes.Health;

/// <summary>The gate's evidence from the API server: GET of the own Node (unless the node watch has it), and a LIST of its pods per critical selector.</summary>
/// <remarks>
/// One attempt per request, no retries: the gate asks again on its own schedule, and a silence is evidence of its own
/// (the rules wait it out) rather than something to hide behind back-off.
/// </remarks>
internal sealed class KubeHealthReader(KubeApi api, string nodeName) : IClusterHealthReader
{
    /// <inheritdoc/>
    public async Task<ClusterReading> ReadAsync(IReadOnlyList<string> criticalPodSelectors, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(criticalPodSelectors);
        using var node = await GetAsync(KubePaths.Node(nodeName), cancellationToken).ConfigureAwait(false);
        var ready = HealthJson.ReadyCondition(node.RootElement);
        return new ClusterReading(ready, await ReadPodsAsync(criticalPodSelectors, cancellationToken).ConfigureAwait(false));
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<SelectorEvidence>> ReadPodsAsync(IReadOnlyList<string> criticalPodSelectors, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(criticalPodSelectors);
        var selectors = new List<SelectorEvidence>(criticalPodSelectors.Count);
        foreach (var selector in criticalPodSelectors)
        {
            using var pods = await GetAsync(KubePaths.PodsOnNode(nodeName, selector), cancellationToken).ConfigureAwait(false);
            selectors.Add(new SelectorEvidence(selector, HealthJson.Pods(pods.RootElement)));
        }

        return selectors;
    }

    private async Task<JsonDocument> GetAsync(string path, CancellationToken cancellationToken)
    {
        KubeResponse response;
        try
        {
            response = await api.SendAsync(HttpMethod.Get, path, null, KubePaths.Json, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new ClusterException($"GET {path}: {e.Message}", e);
        }

        return response.IsSuccess && response.Body is { } body
            ? JsonDocument.Parse(body.ToJsonString())
            : throw new ClusterException($"GET {path}: {response.Message}", response.StatusCode);
    }
}
