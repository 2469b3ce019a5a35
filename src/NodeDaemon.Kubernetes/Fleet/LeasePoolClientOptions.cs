using NodeDaemon.Core.Cluster;
using NodeDaemon.Core.Options;
using NodeDaemon.Kubernetes.Api;

namespace NodeDaemon.Kubernetes.Fleet;

/// <summary>What every Lease client of a pool needs, the disruption slots' and the staging slots' alike: the fleet
/// options, how its requests are retried, and how the pool's nodes report.</summary>
public abstract record LeasePoolClientOptions
{
    /// <summary>The fleet options: pool label, slots (<c>maxUnavailable</c>, <c>maxStaging</c>), Lease namespace, halt threshold.</summary>
    public required FleetOptions Fleet { get; init; }

    /// <summary>Retries and timeouts of the client's requests and watch.</summary>
    public ApiTransportOptions Transport { get; init; } = new();

    /// <summary>The node annotation keys of the protocol in force: how the pool's nodes report state, digests and the Degraded label.</summary>
    public AnnotationKeys NodeKeys { get; init; } = AnnotationKeys.For(AnnotationProtocol.NodeDaemon, NodeDaemonOptionsDefaults.AnnotationPrefix);

    /// <summary>The node keys of <paramref name="options"/>' protocol and prefix.</summary>
    protected static AnnotationKeys NodeKeysOf(NodeDaemonOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return AnnotationKeys.For(options.Protocol, options.AnnotationPrefix);
    }
}
