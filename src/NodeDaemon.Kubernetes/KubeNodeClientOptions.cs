using NodeDaemon.Core.Cluster;
using NodeDaemon.Core.Options;
using NodeDaemon.Kubernetes.Api;

namespace NodeDaemon.Kubernetes;

/// <summary>How the node client talks to the API server; the defaults are for a real cluster.</summary>
public sealed record KubeNodeClientOptions
{
    // The transport defaults have one home; the node client's own settings follow them.
    private static readonly ApiTransportOptions s_transport = new();

    /// <summary>The own node's name.</summary>
    public required string NodeName { get; init; }

    /// <summary>The annotation keys of the protocol in force.</summary>
    public AnnotationKeys Keys { get; init; } = AnnotationKeys.For(AnnotationProtocol.NodeDaemon, NodeDaemonOptionsDefaults.AnnotationPrefix);

    /// <summary>The value of the <c>cordoned-by</c> mark, and the Events' <c>source.component</c>.</summary>
    public string Component { get; init; } = "nodedaemon";

    /// <summary>Where Node events go (the kubelet uses <c>default</c> for cluster-scoped objects).</summary>
    public string EventNamespace { get; init; } = "default";

    /// <summary>See <see cref="ApiTransportOptions.WatchTimeout"/>.</summary>
    public TimeSpan WatchTimeout { get; init; } = s_transport.WatchTimeout;

    /// <summary>See <see cref="ApiTransportOptions.RequestTimeout"/>.</summary>
    public TimeSpan RequestTimeout { get; init; } = s_transport.RequestTimeout;

    /// <summary>See <see cref="ApiTransportOptions.BackoffInitial"/>.</summary>
    public TimeSpan BackoffInitial { get; init; } = s_transport.BackoffInitial;

    /// <summary>See <see cref="ApiTransportOptions.BackoffMax"/>.</summary>
    public TimeSpan BackoffMax { get; init; } = s_transport.BackoffMax;

    /// <summary>Attempts of one write (report, cordon, event) before it fails with a <see cref="ClusterException"/>.</summary>
    public int WriteAttempts { get; init; } = s_transport.WriteAttempts;

    /// <summary>The least wait after an eviction refused with 429 (kubectl waits 5 s when the server gives no hint).</summary>
    public TimeSpan EvictionRetryMinimum { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How often a drain checks whether a blocking pod still runs (evicted pods are watched, not polled).</summary>
    public TimeSpan PodPollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The timeouts, retries and backoff above, for the request and watch helpers.</summary>
    public ApiTransportOptions Transport => new()
    {
        WatchTimeout = WatchTimeout,
        RequestTimeout = RequestTimeout,
        BackoffInitial = BackoffInitial,
        BackoffMax = BackoffMax,
        WriteAttempts = WriteAttempts,
    };

    /// <summary>Options for <paramref name="options"/>: its node name, protocol and prefix.</summary>
    public static KubeNodeClientOptions From(NodeDaemonOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new KubeNodeClientOptions { NodeName = options.NodeName, Keys = AnnotationKeys.For(options.Protocol, options.AnnotationPrefix) };
    }
}
