using NodeDaemon.Core.Cluster;
using NodeDaemon.Kubernetes.Credentials;

namespace NodeDaemon.Kubernetes.Api;

/// <summary>How one client talks to the API server: timeouts, retries, backoff and whose token it carries; the defaults are for a real cluster.</summary>
public sealed record ApiTransportOptions
{
    /// <summary>
    /// The least <c>timeoutSeconds</c> a watch asks for (each connection asks for 1–2 times this, as kube-apiserver
    /// itself picks when a client names none: 30–60 min); the watch reconnects when the server closes it. Long, because
    /// every reconnect is one more request from every node of a cluster; a dead connection is found within about a
    /// minute instead, by the HTTP/2 PING (or, over HTTP/1.1, TCP keepalive; see <c>KubeHttp</c>).
    /// </summary>
    public TimeSpan WatchTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>The longest wait for one answer (not for watches, which the server ends after <see cref="WatchTimeout"/>).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>First retry delay after a transient error; doubles per attempt, with jitter.</summary>
    public TimeSpan BackoffInitial { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest retry delay.</summary>
    public TimeSpan BackoffMax { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Attempts of one write before it fails with a <see cref="ClusterException"/>.</summary>
    public int WriteAttempts { get; init; } = 8;

    /// <summary>The rotated service-account token every request carries instead of the kubeconfig's own credential;
    /// null: the kubeconfig's credential as it is (a client certificate, a static token). See <see cref="NodeCredentials"/>.</summary>
    public BearerTokenSource? Token { get; init; }

    /// <summary>The connection every client of the daemon shares (its owner closes it), so that all of them are streams
    /// of one HTTP/2 connection; null: each client opens a connection of its own.</summary>
    public KubeConnection? Connection { get; init; }
}
