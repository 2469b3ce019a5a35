using System.Net.Http;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using k8s;
using k8s.Authentication;
using NodeDaemon.Core.Files;

namespace NodeDaemon.Kubernetes.Api;

/// <summary>The HTTP client and credentials a kubeconfig describes: server CA or skip-verify, client certificate,
/// token (static, file or exec provider) or basic auth; HTTP/2 over TLS where the server offers it, else HTTP/1.1.</summary>
/// <remarks>
/// Built here from <see cref="KubernetesClientConfiguration"/> rather than by constructing <c>k8s.Kubernetes</c>: that
/// constructor roots the whole generated client and its model metadata, 12 MB of the native binary (and of its resident
/// memory), of which the daemon used only the handler. The credentials are still the library's own
/// (<see cref="k8s.Kubernetes.CreateCredentials"/>); the server check follows client-go (<see cref="KubeconfigCaPolicy"/>).
/// </remarks>
internal static class KubeHttp
{
    /// <summary>An HTTP client for the API server of <paramref name="config"/>, and the credentials to put on each request.</summary>
    public static (HttpClient Client, Uri BaseUri, ServiceClientCredentials? Credentials) Create(KubernetesClientConfiguration config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (string.IsNullOrWhiteSpace(config.Host) || !Uri.TryCreate(config.Host, UriKind.Absolute, out var baseUri))
        {
            throw new k8s.Exceptions.KubeConfigException($"the kubeconfig's server is not a URL: \"{config.Host}\"");
        }

        var handler = new SocketsHttpHandler
        {
            ConnectCallback = ConnectWithKeepAliveAsync,
            // One connection, every stream on it, as client-go (golang.org/x/net/http2 keeps one per host). The daemon
            // holds at most a few watches and drain.concurrency (<= 64) evictions at once, fewer than the 100 streams
            // kube-apiserver allows by default, so nothing waits for a stream; if one ever did, it would queue.
            EnableMultipleHttp2Connections = false,
            // client-go's HTTP/2 health check (k8s.io/apimachinery pkg/util/net/http.go: ReadIdleTimeout 30 s,
            // PingTimeout 15 s): a PING after 30 s without a frame, the connection closed if no answer in 15 s. A watch
            // that hears nothing for minutes is normal, so the ping, not the stream, tells a dead peer from a quiet one.
            KeepAlivePingDelay = Http2ReadIdleTimeout,
            KeepAlivePingTimeout = Http2PingTimeout,
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
            // Go's http.DefaultTransport IdleConnTimeout, which client-go's SetTransportDefaults keeps.
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(90),
        };
        handler.SslOptions.ClientCertificates = [];
        if (config.SkipTlsVerify)
        {
            // The admin's explicit choice (insecure-skip-tls-verify: true in the kubeconfig), as kubectl honours it.
#pragma warning disable CA5359
            handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
#pragma warning restore CA5359
        }
        else if (config.SslCaCerts is { Count: > 0 } ca)
        {
            var policy = KubeconfigCaPolicy(ca);
            handler.SslOptions.CertificateChainPolicy = policy;
            // .NET takes only a self-signed CA as a root; client-go takes any certificate of the pool (an intermediate too).
            // The system clock, not an injected one: OpenSSL judged the rest of the chain by it a moment ago.
            handler.SslOptions.RemoteCertificateValidationCallback = (_, _, chain, errors) =>
                KubeconfigCaAnchor.Accepts(policy.CustomTrustStore, chain, errors, TimeProvider.System.GetUtcNow());
        }

        // Without a CA in the kubeconfig the system's trust store decides, as kubectl does.
        if (ClientCertificate(config) is { } clientCertificate)
        {
            handler.SslOptions.ClientCertificates.Add(clientCertificate);
        }

        // Watches stream for minutes: every other request gets its own bound where it is sent.
        var client = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        return (client, baseUri, k8s.Kubernetes.CreateCredentials(config));
    }

    /// <summary>Whether the server check of <paramref name="config"/> needs the system's trust store: an https server,
    /// checked (no <c>insecure-skip-tls-verify</c>), with no CA in the kubeconfig (or the in-cluster ca.crt). With a CA
    /// that CA alone decides (<see cref="KubeconfigCaPolicy"/>), as in client-go, so the system store has nothing to add.</summary>
    internal static bool NeedsSystemTrust(KubernetesClientConfiguration config, Uri baseUri) =>
        string.Equals(baseUri.Scheme, Uri.UriSchemeHttps, StringComparison.OrdinalIgnoreCase) && !config.SkipTlsVerify && config.SslCaCerts is not { Count: > 0 };

    /// <summary>The chain policy when the kubeconfig names a CA: that CA alone is trusted, as client-go trusts its CA pool
    /// alone (k8s.io/client-go/transport/transport.go: <c>RootCAs</c> is the kubeconfig's CA, never the system's roots).</summary>
    /// <remarks>SslStream still checks the host name (DNS or IP SAN) and the validity period as for any server, and only a
    /// chain without errors is accepted, or one whose only fault is that it ends at a pool certificate that is not
    /// self-signed (<see cref="KubeconfigCaAnchor"/>). KubernetesClient's own callback, used before, accepted a certificate chaining to
    /// any system root, and for a private CA it rebuilt the chain and dropped the name check, so a certificate the CA had
    /// issued for another host passed. Neither revocation nor AIA downloads: Go's verifier does neither.</remarks>
    internal static X509ChainPolicy KubeconfigCaPolicy(X509Certificate2Collection ca)
    {
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
            DisableCertificateDownloads = true,
        };
        policy.CustomTrustStore.AddRange(ca);
        return policy;
    }

    /// <summary>
    /// Connects with TCP keepalive on (first probe after 30 s idle, then every 10 s, 3 misses): a watch stays open for
    /// many minutes with nothing on it, and without keepalive a peer that vanished (a rebooted load balancer, a cut
    /// link) leaves it hanging until its timeout; with it the read fails within about a minute and the watch reconnects.
    /// </summary>
    private static async ValueTask<Stream> ConnectWithKeepAliveAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime, 30);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval, 10);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount, 3);
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The client certificate and key, inline (base64 PEM) or from files; null when the kubeconfig has none.</summary>
    private static X509Certificate2? ClientCertificate(KubernetesClientConfiguration config)
    {
        var certificate = Pem(config.ClientCertificateData, config.ClientCertificateFilePath);
        var key = Pem(config.ClientCertificateKeyData, config.ClientKeyFilePath);
        if (certificate is null || key is null)
        {
            return null;
        }

        using var pem = X509Certificate2.CreateFromPem(certificate, key);
        // An ephemeral key cannot be used for TLS client authentication on every platform; a PKCS#12 round trip keeps it.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }

    private static string? Pem(string? base64, string? path) =>
        !string.IsNullOrEmpty(base64) ? Encoding.UTF8.GetString(Convert.FromBase64String(base64))
        : !string.IsNullOrEmpty(path) ? ReadPemFile(path)
        : null;

    // A FIFO or a device named as the client certificate would hang the start: only a bounded regular file is read.
    private static string ReadPemFile(string path)
    {
        try
        {
            return RegularFile.ReadText(path, MaxPemBytes);
        }
        catch (IOException e)
        {
            throw new IOException($"the kubeconfig's certificate or key file {path}: {e.Message}", e);
        }
    }

    private const int MaxPemBytes = 1024 * 1024;

    /// <summary>How long a connection may hear no frame before a PING is sent: client-go's HTTP/2 ReadIdleTimeout.</summary>
    internal static readonly TimeSpan Http2ReadIdleTimeout = TimeSpan.FromSeconds(30);

    /// <summary>How long a PING may go unanswered before the connection is closed: client-go's HTTP/2 PingTimeout.</summary>
    internal static readonly TimeSpan Http2PingTimeout = TimeSpan.FromSeconds(15);
}
