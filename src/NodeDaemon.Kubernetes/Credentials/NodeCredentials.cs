using k8s;
using Microsoft.Extensions.Logging;
using NodeDaemon.Kubernetes.Api;

namespace NodeDaemon.Kubernetes.Credentials;

/// <summary>The daemon's own API identity: the node-bound service-account token it starts with, and the rotator that
/// keeps it fresh in the background until disposed.</summary>
/// <remarks>
/// The kubeconfig (passed with <c>LoadCredential=</c>) holds the bootstrap token the installer made with
/// <c>kubectl create token nodedaemon --bound-object-kind Node --bound-object-name NODE</c>; the state directory holds
/// the last rotated one. Give <see cref="Source"/> to every client (<see cref="ApiTransportOptions.Token"/>).
/// </remarks>
public sealed partial class NodeCredentials : IDisposable
{
    private readonly TokenRotator _rotator;
    private readonly KubeApi _api;
    private readonly CancellationTokenSource _stop = new();
    private Task _running = Task.CompletedTask;

    private NodeCredentials(BearerTokenSource source, TokenRotator rotator, KubeApi api)
    {
        Source = source;
        _rotator = rotator;
        _api = api;
    }

    /// <summary>The token every request carries.</summary>
    public BearerTokenSource Source { get; }

    /// <summary>The credentials for the kubeconfig at <paramref name="kubeconfigPath"/>, or null when its credential is
    /// not a service-account token with a life (a client certificate, a static or exec token, in-cluster or default
    /// config): that one is used as it is, never rotated (logged once).</summary>
    /// <param name="kubeconfigPath">The kubeconfig; empty: in-cluster or default, never rotated here.</param>
    /// <param name="nodeName">The Node this daemon manages: a token bound to another Node is refused.</param>
    /// <param name="stateDirectory">Where the rotated token is kept.</param>
    /// <param name="transport">The requests' timeout, and the shared connection if any.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">Where the loaded identity and each rotation are logged.</param>
    /// <param name="requests">Told of every TokenRequest.</param>
    /// <exception cref="InvalidOperationException">The token is bound to another Node, or every token (bootstrap and stored) has expired: the message says what to do.</exception>
    public static NodeCredentials? Open(string kubeconfigPath, string nodeName, string stateDirectory, ApiTransportOptions transport, TimeProvider time,
        ILogger logger, IApiRequestObserver requests)
    {
        ArgumentNullException.ThrowIfNull(kubeconfigPath);
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        var log = new Log(logger);
        if (kubeconfigPath.Length == 0 || ServiceAccountToken.TryParse(KubeconfigToken(kubeconfigPath)) is not { } bootstrap)
        {
            log.NotRotated("it is not a service-account token with iat and exp claims");
            return null;
        }

        if (bootstrap.NodeName.Length == 0)
        {
            log.NotRotated($"its token ({bootstrap.Describe()}) is bound to no Node, and the admission policy refuses such a token's writes");
            return null;
        }

        if (bootstrap.NodeName != nodeName)
        {
            throw new InvalidOperationException($"its token is bound to Node {bootstrap.NodeName}, but this daemon manages Node {nodeName}: " +
                "make the bootstrap token on this node's name (docs/install.md)");
        }

        var store = new TokenStore(stateDirectory);
        var stored = LoadStored(store, bootstrap, log);
        var now = time.GetUtcNow();
        var chosen = TokenChoice.Choose(now, bootstrap, stored)
            ?? throw new InvalidOperationException($"its token ({bootstrap.Describe()}) expired at {bootstrap.ExpiresAt:O}" +
                (stored is null ? "" : $", and the rotated one in {store.Path} at {stored.ExpiresAt:O}") +
                " (the node was off longer than the token lives): install a new bootstrap token for this node (docs/install.md)");
        var source = new BearerTokenSource(chosen);
        var api = KubeApi.FromKubeconfig(kubeconfigPath, transport.RequestTimeout, requests, source, transport.Connection);
        var rotator = new TokenRotator(source, new TokenRequestClient(api), store, time, logger);
        log.Loaded(chosen.Describe(), ReferenceEquals(chosen, bootstrap) ? "the kubeconfig" : store.Path, chosen.IssuedAt, chosen.ExpiresAt, rotator.RotateAt);
        return new NodeCredentials(source, rotator, api);
    }

    /// <summary>Starts rotating in the background (once).</summary>
    public void Start()
    {
        if (_running.IsCompleted)
        {
            _running = Task.Run(() => _rotator.RunAsync(_stop.Token));
        }
    }

    /// <summary>Stops rotating and closes the rotator's connection.</summary>
    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            _running.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException e) when (e.InnerExceptions.All(x => x is OperationCanceledException))
        {
            // Stopped while waiting: the expected end.
        }

        _api.Dispose();
        _stop.Dispose();
    }

    // The current context's user's inline token. KubernetesClient's kubeconfig model has no tokenFile (client-go's
    // has), so a token in a file would not reach any client either: the installer writes it inline.
    private static string? KubeconfigToken(string path)
    {
        var config = KubernetesClientConfiguration.LoadKubeConfig(path);
        var userName = config.Contexts?.FirstOrDefault(c => c.Name == config.CurrentContext)?.ContextDetails?.User;
        return config.Users?.FirstOrDefault(u => u.Name == userName)?.UserCredentials?.Token?.Trim();
    }

    private static ServiceAccountToken? LoadStored(TokenStore store, ServiceAccountToken bootstrap, Log log)
    {
        try
        {
            var stored = store.Load();
            if (stored is not null && !stored.SameIdentity(bootstrap))
            {
                log.StoredNotUsed(store.Path, $"it names {stored.Describe()} (Node uid {stored.NodeUid}), the kubeconfig {bootstrap.Describe()} (Node uid {bootstrap.NodeUid})");
                return null;
            }

            return stored;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.StoredNotUsed(store.Path, e.Message);
            return null;
        }
    }
}
