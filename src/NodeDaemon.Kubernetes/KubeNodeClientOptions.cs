using NodeDaemon.Core.Cluster;
using NodeDaemon.Core.Options;

namespace NodeDaemon.Kubernetes;

/// <summary>How the node client talks to the API server; the defaults are for a real cluster.</summary>
public sealed record KubeNodeClientOptions
{
    /// <summary>The own node's name.</summary>
    public required string NodeName { get; init; }

    /// <summary>The annotation keys of the protocol in force.</summary>
    public AnnotationKeys Keys { get; init; } = AnnotationKeys.For(AnnotationProtocol.NodeDaemon, NodeDaemonOptionsDefaults.AnnotationPrefix);

    /// <summary>The value of the <c>cordoned-by</c> mark, and the Events' <c>source.component</c>.</summary>
    public string Component { get; init; } = "nodedaemon";

    /// <summary>Where Node events go (the kubelet uses <c>default</c> for cluster-scoped objects).</summary>
    public string EventNamespace { get; init; } = "default";

    /// <summary>
    /// The least <c>timeoutSeconds</c> a watch asks for (each connection asks for 1–2 times this, as kube-apiserver
    /// itself picks when a client names none: 30–60 min); the watch reconnects when the server closes it. Long, because
    /// every reconnect is one more request from every node of a cluster; a dead connection is found by TCP keepalive
    /// within about a minute instead (see <c>KubeHttp</c>).
    /// </summary>
    public TimeSpan WatchTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>The longest wait for one answer (not for watches, which the server ends after <see cref="WatchTimeout"/>).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>First retry delay after a transient error; doubles per attempt, with jitter.</summary>
    public TimeSpan BackoffInitial { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest retry delay.</summary>
    public TimeSpan BackoffMax { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Attempts of one write (report, cordon, event) before it fails with a <see cref="ClusterException"/>.</summary>
    public int WriteAttempts { get; init; } = 8;

    /// <summary>The least wait after an eviction refused with 429 (kubectl waits 5 s when the server gives no hint).</summary>
    public TimeSpan EvictionRetryMinimum { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How often a drain checks whether a blocking pod still runs (evicted pods are watched, not polled).</summary>
    public TimeSpan PodPollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Options for <paramref name="options"/>: its node name, protocol and prefix.</summary>
    public static KubeNodeClientOptions From(NodeDaemonOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new KubeNodeClientOptions { NodeName = options.NodeName, Keys = AnnotationKeys.For(options.Protocol, options.AnnotationPrefix) };
    }
}
