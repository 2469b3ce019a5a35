using NodeDaemon.Core.Cluster;
using NodeDaemon.Core.Options;
using NodeDaemon.Kubernetes.Api;

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

    /// <summary>The timeouts, retries and backoff of the node client's requests and watches, reports, cordon, events and drain.</summary>
    /// <remarks>Their defaults have one home, <see cref="ApiTransportOptions"/>; the Lease slot client has its own
    /// (<c>LeaseSlotClientOptions.Transport</c>), which a caller may set to this same value.</remarks>
    public ApiTransportOptions Transport { get; init; } = new();

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
