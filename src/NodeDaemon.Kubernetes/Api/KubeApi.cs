using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using NodeDaemon.Kubernetes.Credentials;

namespace NodeDaemon.Kubernetes.Api;

/// <summary>Raw JSON requests to the API server with the kubeconfig's TLS settings and credentials (see <see cref="KubeHttp"/>).</summary>
/// <remarks>
/// The generated operations would hide what the daemon must see (the eviction Status details, a watch stream line by
/// line, patches of a few keys), so requests are plain HTTP with JsonNode bodies, which needs no reflection.
/// </remarks>
internal sealed class KubeApi : IDisposable
{
    /// <summary>The verb a watch is counted under: a GET, but one that streams for minutes.</summary>
    public const string WatchVerb = "WATCH";

    private readonly HttpClient _http;
    private readonly Uri _baseUri;
    private readonly k8s.Authentication.ServiceClientCredentials? _credentials;
    // A shared connection belongs to whoever made it (the composition root), not to any one client over it.
    private readonly bool _ownsHttp;

    private readonly TimeSpan _requestTimeout;
    private readonly IApiRequestObserver _observer;
    private readonly BearerTokenSource? _token;

    /// <summary>A client for <paramref name="configuration"/>; with <paramref name="token"/>, every request carries that
    /// source's current token instead of the kubeconfig's own credential (TLS settings still come from the kubeconfig).</summary>
    public KubeApi(KubernetesClientConfiguration configuration, TimeSpan requestTimeout, IApiRequestObserver? observer = null, BearerTokenSource? token = null)
        : this(KubeConnection.For(configuration), owns: true, requestTimeout, observer, token)
    {
    }

    /// <summary>A client sending on <paramref name="connection"/>, which it shares with others and does not close.</summary>
    public KubeApi(KubeConnection connection, TimeSpan requestTimeout, IApiRequestObserver? observer = null, BearerTokenSource? token = null)
        : this(connection, owns: false, requestTimeout, observer, token)
    {
    }

    private KubeApi(KubeConnection connection, bool owns, TimeSpan requestTimeout, IApiRequestObserver? observer, BearerTokenSource? token)
    {
        ArgumentNullException.ThrowIfNull(connection);
        (_http, _baseUri, _credentials) = (connection.Http, connection.BaseUri, connection.Credentials);
        _ownsHttp = owns;
        _requestTimeout = requestTimeout;
        _observer = observer ?? NoApiRequestObserver.Instance;
        _token = token;
    }

    /// <summary>A client over <paramref name="handler"/> (a test's hand-written transport), carrying <paramref name="token"/>.</summary>
    internal KubeApi(HttpMessageHandler handler, Uri baseUri, TimeSpan requestTimeout, BearerTokenSource? token)
    {
        _http = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        _ownsHttp = true;
        _baseUri = baseUri;
        _requestTimeout = requestTimeout;
        _observer = NoApiRequestObserver.Instance;
        _token = token;
    }

    /// <summary>A client for the kubeconfig at <paramref name="path"/> (empty: the default locations, then in-cluster), on
    /// <paramref name="connection"/> when given (<see cref="ApiTransportOptions.Connection"/>), else on a connection of its own.</summary>
    public static KubeApi FromKubeconfig(string path, TimeSpan requestTimeout, IApiRequestObserver? observer = null, BearerTokenSource? token = null,
        KubeConnection? connection = null) =>
        connection is not null ? new(connection, requestTimeout, observer, token)
        : new(KubeConnection.FromKubeconfig(path), owns: true, requestTimeout, observer, token);

    /// <summary>Sends one request and reads the whole JSON answer, whatever its status.</summary>
    /// <remarks>Every request of the client passes here or through <see cref="OpenStreamAsync"/> (the sender's
    /// retries, the drainer's evictions, the watcher's lists), so this is the one place they are counted.
    /// <paramref name="accept"/> is sent as it is (<see cref="KubePaths.MetadataList"/> asks for a smaller answer).</remarks>
    public async Task<KubeResponse> SendAsync(HttpMethod method, string path, JsonNode? body, string contentType, CancellationToken cancellationToken,
        string accept = KubePaths.Json)
    {
        try
        {
            var response = await SendOnceAsync(method, path, body, contentType, accept, cancellationToken).ConfigureAwait(false);
            _observer.Completed(method.Method, response.StatusCode);
            return response;
        }
        catch (HttpRequestException)
        {
            _observer.Completed(method.Method, null);
            throw;
        }
    }

    /// <summary>Sends a JSON request once, as <see cref="SendAsync"/>; null when the server cannot be reached, for a caller that retries on its own schedule.</summary>
    public async Task<KubeResponse?> TrySendAsync(HttpMethod method, string path, JsonNode? body, CancellationToken cancellationToken)
    {
        try
        {
            return await SendAsync(method, path, body, KubePaths.Json, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    /// <summary>Opens a streamed GET (a watch); the caller owns and disposes the response.</summary>
    public async Task<HttpResponseMessage> OpenStreamAsync(string path, CancellationToken cancellationToken)
    {
        using var request = await CreateRequestAsync(HttpMethod.Get, path, KubePaths.Json, cancellationToken).ConfigureAwait(false);
        try
        {
            var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            _observer.Completed(WatchVerb, (int)response.StatusCode);
            return response;
        }
        catch (Exception e) when (e is HttpRequestException or IOException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            _observer.Completed(WatchVerb, null);
            throw;
        }
    }

    private async Task<KubeResponse> SendOnceAsync(HttpMethod method, string path, JsonNode? body, string contentType, string accept,
        CancellationToken cancellationToken)
    {
        // The one place every write passes, so no write path can leave its field manager out.
        using var request = await CreateRequestAsync(method, KubePaths.WithFieldManager(method, path), accept, cancellationToken).ConfigureAwait(false);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        }

        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(_requestTimeout);
        try
        {
            using var response = await _http.SendAsync(request, bounded.Token).ConfigureAwait(false);
            var text = await response.Content.ReadAsStringAsync(bounded.Token).ConfigureAwait(false);
            return KubeResponse.Read((int)response.StatusCode, ParseOrNull(text), RetryAfter(response));
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            // A hung connection is a transport failure like a refused one: the caller's retry handles both.
            throw new HttpRequestException($"no answer within {_requestTimeout}", e);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        // A test's own handler, or a connection of its own: closed with this client; a shared one is left to its owner.
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private async Task<HttpRequestMessage> CreateRequestAsync(HttpMethod method, string path, string accept, CancellationToken cancellationToken)
    {
        // HTTP/2 when the server offers it in the TLS handshake (ALPN "h2"), so that every watch and request of the daemon
        // is a stream of one connection, as client-go's; HTTP/1.1 otherwise (plain http://, or a server or proxy without
        // h2). Set here: HttpClient.DefaultRequestVersion applies only to messages the client builds itself.
        var request = new HttpRequestMessage(method, new Uri(_baseUri, path))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        // Verbatim: parsed header values would be re-serialized with spaces after each ';'.
        request.Headers.TryAddWithoutValidation("Accept", accept);
        // The server names a write without a field manager after this prefix (the part before '/'), and the audit log shows it.
        request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
        if (_token is { } token)
        {
            // Read per request: a rotation takes effect on the next one.
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Current.Value);
        }
        else if (_credentials is { } credentials)
        {
            await credentials.ProcessHttpRequestAsync(request, cancellationToken).ConfigureAwait(false);
        }

        return request;
    }

    /// <summary>The User-Agent of every request, <c>nodedaemon/VERSION</c> as client-go's <c>binary/version</c>.</summary>
    public static readonly string UserAgent = $"{KubePaths.FieldManager}/{typeof(KubeApi).Assembly.GetName().Version?.ToString(3) ?? "0.0.0"}";

    private static JsonNode? ParseOrNull(string text)
    {
        try
        {
            // A lone surrogate escape would make every later read or write of the node throw; Go reads it as U+FFFD.
            return text.Length == 0 ? null : JsonNode.Parse(Core.Text.JsonText.RepairSurrogateEscapes(text));
        }
        catch (System.Text.Json.JsonException)
        {
            // A proxy's HTML error page: the status code still says what happened.
            return null;
        }
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response) =>
        response.StatusCode == HttpStatusCode.TooManyRequests && response.Headers.RetryAfter?.Delta is { } delta ? delta : null;
}
