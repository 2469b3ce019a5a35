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

    /// <summary>
    /// The least <c>timeoutSeconds</c> the watch of a refused node asks for (1–2 times this, as every watch). Not
    /// <see cref="ApiTransportOptions.WatchTimeout"/>: a renewal buys a fresh read of what the stream may have missed,
    /// and a waiting node reads the Leases anyway at each recheck (the disruption slots' 30–60 min, the staging
    /// slots' 30 s to 8 min), which finds a slot handed over or freed behind a broken stream. So while the wait
    /// lasts, a renewal every 30–60 min only cost each waiting node a request, and a long queue many of them
    /// (docs/benchmarks.md, "A wait without renewals"). kube-apiserver keeps a watch open as long as asked.
    /// </summary>
    public TimeSpan WaitWatchTimeout { get; init; } = DefaultWaitWatchTimeout;

    /// <summary>The default <see cref="WaitWatchTimeout"/>: 12 h, so that a wait seldom outlives its first watch.</summary>
    public static readonly TimeSpan DefaultWaitWatchTimeout = TimeSpan.FromHours(12);

    /// <summary><see cref="Transport"/> with the watch timeout of a wait (<see cref="WaitWatchTimeout"/>).</summary>
    internal ApiTransportOptions WaitTransport => Transport with { WatchTimeout = WaitWatchTimeout };

    /// <summary>The node annotation keys of the protocol in force: how the pool's nodes report state, digests and the Degraded label.</summary>
    public AnnotationKeys NodeKeys { get; init; } = AnnotationKeys.For(AnnotationProtocol.NodeDaemon, NodeDaemonOptionsDefaults.AnnotationPrefix);

    /// <summary>The node keys of <paramref name="options"/>' protocol and prefix.</summary>
    protected static AnnotationKeys NodeKeysOf(NodeDaemonOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return AnnotationKeys.For(options.Protocol, options.AnnotationPrefix);
    }
}
