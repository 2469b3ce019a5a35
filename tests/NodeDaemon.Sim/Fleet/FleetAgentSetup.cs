using NodeDaemon.Core.Options;
using NodeDaemon.Kubernetes;

namespace NodeDaemon.Sim.Fleet;

/// <summary>What every simulated node shares: the API server, the daemon's options and the (already scaled) real-time delays.</summary>
/// <param name="KubeconfigPath">The test API server's kubeconfig, for a node without <see cref="NodeKubeconfig"/>.</param>
/// <param name="Options">The daemon's options, for any node (the node name is set per node).</param>
/// <param name="Transport">The Kubernetes clients' retries and polls, for any node.</param>
/// <param name="StateRoot">Where each node's state directory is made.</param>
/// <param name="BootedImage">The pullspec every host boots at first.</param>
public sealed record FleetAgentSetup(string KubeconfigPath, NodeDaemonOptions Options, KubeNodeClientOptions Transport, string StateRoot, string BootedImage)
{
    /// <summary>The kubeconfig text of one node's daemon (its own identity), by node name; null: every node uses
    /// <see cref="KubeconfigPath"/>.</summary>
    public Func<string, string>? NodeKubeconfig { get; init; }

    /// <summary>How long a pull takes.</summary>
    public TimeSpan StageDelay { get; init; }

    /// <summary>From the reboot request to the daemon starting on the new boot.</summary>
    public TimeSpan RebootDelay { get; init; }

    /// <summary>How long systemd waits before it starts a crashed daemon again.</summary>
    public TimeSpan RestartDelay { get; init; }

    /// <summary><c>LeaseSlotClientOptions.PoolRecheck</c>.</summary>
    public TimeSpan PoolRecheck { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary><c>AgentLoop.SlotRecheck</c>.</summary>
    public TimeSpan SlotRecheck { get; init; }

    /// <summary><c>LeasePoolClientOptions.WaitWatchTimeout</c> of both slot clients; the daemon's default when unset.</summary>
    public TimeSpan? WaitWatchTimeout { get; init; }

    /// <summary><c>AgentLoop.StagingRecheck</c>.</summary>
    public TimeSpan StagingRecheck { get; init; }

    /// <summary><c>LeaseStagingSlotClientOptions.LeaseDuration</c>.</summary>
    public TimeSpan? StagingLeaseDuration { get; init; }

    /// <summary>Counts the pulls of every host of the run (the registry's view).</summary>
    public PullGauge Pulls { get; init; } = new();

    /// <summary><c>AgentLoop.IdleTick</c>.</summary>
    public TimeSpan IdleTick { get; init; }

    /// <summary>Told of every boot after the first: the node's name and the digest it booted (the API server's kubelet
    /// model starts the node's kubelet, <c>TestApiServer.BootNode</c>).</summary>
    public Action<string, string?>? Booted { get; init; }

    /// <summary><c>AgentLoop.ProgressReportInterval</c>.</summary>
    public TimeSpan ProgressReportInterval { get; init; }
}
