using k8s;
using k8s.Authentication;

namespace NodeDaemon.Kubernetes.Api;

/// <summary>One HTTP client to the API server of a kubeconfig, shared by every <see cref="KubeApi"/> of a daemon so that
/// its watches and requests travel as streams of one HTTP/2 connection (see <see cref="KubeHttp"/>).</summary>
/// <remarks>
/// client-go gets the same by caching one transport per TLS configuration (k8s.io/client-go/transport/cache.go):
/// every clientset of a process built from one rest.Config shares it, and its HTTP/2 pool holds one connection. A
/// daemon here builds three clients (node, slots, token rotation); without this each would open its own connection.
/// </remarks>
public sealed class KubeConnection : IDisposable
{
    private KubeConnection(HttpClient http, Uri baseUri, ServiceClientCredentials? credentials, bool needsSystemTrust)
    {
        Http = http;
        BaseUri = baseUri;
        Credentials = credentials;
        NeedsSystemTrust = needsSystemTrust;
    }

    /// <summary>Whether checking the API server reads the system's trust store: only over TLS, with the server checked,
    /// and no CA in the kubeconfig (<see cref="KubeHttp.NeedsSystemTrust"/>). When false, the daemon keeps the store unloaded.</summary>
    public bool NeedsSystemTrust { get; }

    /// <summary>The client; its handler holds the connection.</summary>
    internal HttpClient Http { get; }

    /// <summary>The API server's URL.</summary>
    internal Uri BaseUri { get; }

    /// <summary>The kubeconfig's own credential, put on each request that carries no rotated token.</summary>
    internal ServiceClientCredentials? Credentials { get; }

    /// <summary>The connection for the kubeconfig at <paramref name="path"/>; empty: the default locations, then in-cluster.</summary>
    public static KubeConnection FromKubeconfig(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return For(path.Length > 0 ? KubernetesClientConfiguration.BuildConfigFromConfigFile(path)
            : KubernetesClientConfiguration.IsInCluster() ? KubernetesClientConfiguration.InClusterConfig()
            : KubernetesClientConfiguration.BuildDefaultConfig());
    }

    /// <summary>The connection for a loaded <paramref name="configuration"/>.</summary>
    public static KubeConnection For(KubernetesClientConfiguration configuration)
    {
        var (http, baseUri, credentials) = KubeHttp.Create(configuration);
        return new KubeConnection(http, baseUri, credentials, KubeHttp.NeedsSystemTrust(configuration, baseUri));
    }

    /// <summary>Closes the connection; the clients that shared it fail from then on.</summary>
    public void Dispose() => Http.Dispose();
}
