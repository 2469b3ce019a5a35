using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using NodeDaemon.Core.Cluster;

namespace NodeDaemon.Kubernetes.Api;

/// <summary>Sends requests with bounded, jittered retries of transient failures (5xx, 429, refused connections).</summary>
internal sealed partial class ApiSender(KubeApi api, ApiTransportOptions options, TimeProvider time, ILogger logger)
{
    /// <summary>The transport, for streams.</summary>
    public KubeApi Api => api;

    /// <summary>
    /// Sends until the answer is not transient or the attempts are spent; a 409 is returned to the caller unless
    /// <paramref name="retryConflict"/> (it must re-read when it wrote with a resourceVersion precondition).
    /// </summary>
    public async Task<KubeResponse> SendAsync(HttpMethod method, string path, JsonNode? body, string contentType, CancellationToken cancellationToken, bool retryConflict = true,
        string accept = KubePaths.Json)
    {
        var backoff = new Backoff(options.BackoffInitial, options.BackoffMax, time);
        for (var attempt = 1; ; attempt++)
        {
            string problem;
            try
            {
                var response = await api.SendAsync(method, path, body?.DeepClone(), contentType, cancellationToken, accept).ConfigureAwait(false);
                if (!response.IsTransient || (response.StatusCode == 409 && !retryConflict))
                {
                    return response;
                }

                if (attempt >= options.WriteAttempts)
                {
                    return response;
                }

                problem = $"{response.StatusCode} {response.Message}";
                if (response.StatusCode == 429 && response.RetryAfter is { } hint)
                {
                    LogRetried(method.Method, path, attempt, problem);
                    await Task.Delay(Backoff.Jitter(hint) + hint / 2, time, cancellationToken).ConfigureAwait(false);
                    continue;
                }
            }
            catch (HttpRequestException e) when (attempt < options.WriteAttempts)
            {
                problem = e.Message;
            }
            catch (HttpRequestException e)
            {
                throw new ClusterException($"{method.Method} {path}: {e.Message}", e);
            }

            LogRetried(method.Method, path, attempt, problem);
            await backoff.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Sends, and throws a <see cref="ClusterException"/> unless the answer is 2xx.</summary>
    public async Task<JsonNode> SendOkAsync(HttpMethod method, string path, JsonNode? body, string contentType, CancellationToken cancellationToken,
        string accept = KubePaths.Json)
    {
        var response = await SendAsync(method, path, body, contentType, cancellationToken, accept: accept).ConfigureAwait(false);
        return response.IsSuccess && response.Body is { } result
            ? result
            : throw new ClusterException($"{method.Method} {path}: {response.Message}", response.StatusCode);
    }

    /// <summary>GETs the list at <paramref name="path"/> with only each item's metadata (see <see cref="KubePaths.MetadataList"/>).</summary>
    public Task<JsonNode> ListMetadataAsync(string path, CancellationToken cancellationToken) =>
        SendOkAsync(HttpMethod.Get, path, null, KubePaths.Json, cancellationToken, KubePaths.MetadataList);
}
