using NodeDaemon.Core.Health;

namespace NodeDaemon.Kubernetes.Health;

/// <summary>GETs the kubelet's healthz (default <c>http://127.0.0.1:10248/healthz</c>): 200 with <c>ok</c> means healthy.</summary>
/// <remarks>
/// A short timeout, no proxy and no redirects: the endpoint is local, answers at once when the kubelet lives, and must
/// not be reached through whatever <c>HTTP_PROXY</c> the host sets for registries.
/// </remarks>
public sealed class KubeletHealthzProbe : IHealthzProbe, IDisposable
{
    /// <summary>The longest one probe may take.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false }) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };

    /// <inheritdoc/>
    public async Task<HealthzEvidence> ProbeAsync(Uri url, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(Timeout);
        try
        {
            using var response = await _http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, bounded.Token).ConfigureAwait(false);
            return new HealthzEvidence((int)response.StatusCode, null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new HealthzEvidence(null, $"no answer within {Timeout.TotalSeconds:0} s");
        }
        catch (HttpRequestException e)
        {
            return new HealthzEvidence(null, e.InnerException?.Message ?? e.Message);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _http.Dispose();
}
