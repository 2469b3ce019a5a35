using Microsoft.Extensions.Logging;
using NodeDaemon.Agent;
using NodeDaemon.Core.Cluster;
using NodeDaemon.Core.Fleet;
using NodeDaemon.Core.Health;
using NodeDaemon.Core.Host;
using NodeDaemon.Core.Options;
using NodeDaemon.Health;
using NodeDaemon.Kubernetes;
using NodeDaemon.Kubernetes.Api;
using NodeDaemon.Kubernetes.Credentials;
using NodeDaemon.Kubernetes.Fleet;
using NodeDaemon.RpmOstree;
using NodeDaemon.State;

namespace NodeDaemon.Hosting;

/// <summary>The agent wired once: the host backend, the API credentials, the Kubernetes node and slot clients, the record store, the health gate and the <see cref="AgentLoop"/> over them.</summary>
/// <remarks>
/// The daemon (<see cref="AgentService"/>) and the fleet simulation build the agent here, so that what the simulation
/// runs is what the daemon runs; what differs between them comes in through <see cref="AgentCompositionParts"/>. It
/// owns (and disposes) the adapters it built, not a host it was given. With <c>fleet.enabled</c> the loop takes turns
/// with its pool through a <see cref="LeaseSlotClient"/> on the same kubeconfig; without it, it gets a slot seam that
/// holds nothing and is never asked.
/// </remarks>
public sealed class AgentComposition : IDisposable
{
    private readonly List<IDisposable> _owned;

    private AgentComposition(AgentLoop loop, List<IDisposable> owned)
    {
        Loop = loop;
        _owned = owned;
    }

    /// <summary>The loop to run.</summary>
    public AgentLoop Loop { get; }

    /// <summary>Builds the adapters for <paramref name="options"/> (already validated) and the loop over them.</summary>
    /// <exception cref="AgentStartException">An adapter could not be built (no rpm-ostreed and no bootc, an unreadable kubeconfig): the message names which and why.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled while the backend was probed.</exception>
    public static async Task<AgentComposition> CreateAsync(NodeDaemonOptions options, AgentCompositionParts parts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(parts);
        var owned = new List<IDisposable>();
        // What was being built, for the one line that says why the agent cannot start.
        var step = "the host backend";
        try
        {
            var busAddress = parts.BusAddress ?? RpmOstreeNames.SystemBusAddress(Environment.GetEnvironmentVariable);
            var host = parts.Host ?? Own(owned, await HostSystemFactory.CreateAsync(options, busAddress, parts.Time, parts.Loggers, cancellationToken)
                .ConfigureAwait(false));
            step = options.Kubeconfig.Length > 0 ? $"kubeconfig {options.Kubeconfig}" : "the in-cluster or default kubeconfig";
            KubeconfigFile.Check(options.Kubeconfig);
            var nodeOptions = parts.NodeClient ?? KubeNodeClientOptions.From(options);
            // One connection for the token rotator, the node client and the slot client: one HTTP/2 connection per daemon.
            var connection = Own(owned, KubeConnection.FromKubeconfig(options.Kubeconfig));
            if (!connection.NeedsSystemTrust)
            {
                // Before the first handshake: the kubeconfig's CA alone decides, so the system's certificates need not load.
                parts.SystemTrust();
            }

            nodeOptions = nodeOptions with { Transport = nodeOptions.Transport with { Connection = connection } };
            // A node-bound service-account token in the kubeconfig is rotated; every client carries the current one.
            var credentials = Own(owned, NodeCredentials.Open(options.Kubeconfig, options.NodeName, options.StateDirectory, nodeOptions.Transport, parts.Time,
                parts.Loggers.CreateLogger<NodeCredentials>(), parts.ApiRequests));
            if (credentials is not null)
            {
                nodeOptions = nodeOptions with { Transport = nodeOptions.Transport with { Token = credentials.Source } };
            }

            var node = Own(owned, KubeNodeClient.Create(options.Kubeconfig, nodeOptions, parts.Time, parts.Loggers.CreateLogger<KubeNodeClient>(), parts.ApiRequests));
            ISlotClient slots = NoSlotClient.Instance;
            if (options.Fleet.Enabled)
            {
                var slotOptions = LeaseSlotClientOptions.From(options) with { Transport = nodeOptions.Transport };
                slotOptions = parts.WaitWatchTimeout is { } slotWait ? slotOptions with { WaitWatchTimeout = slotWait } : slotOptions;
                slots = Own(owned, LeaseSlotClient.Create(options.Kubeconfig, parts.PoolRecheck is { } recheck ? slotOptions with { PoolRecheck = recheck } : slotOptions,
                    parts.Time, parts.Loggers.CreateLogger<LeaseSlotClient>(), parts.ApiRequests));
            }

            IStagingSlotClient staging = NoStagingSlotClient.Instance;
            if (options.Fleet.StagingBounded)
            {
                var stagingOptions = LeaseStagingSlotClientOptions.From(options) with { Transport = nodeOptions.Transport };
                stagingOptions = parts.WaitWatchTimeout is { } stagingWait ? stagingOptions with { WaitWatchTimeout = stagingWait } : stagingOptions;
                staging = Own(owned, LeaseStagingSlotClient.Create(options.Kubeconfig,
                    parts.StagingLeaseDuration is { } duration ? stagingOptions with { LeaseDuration = duration } : stagingOptions,
                    parts.Time, parts.Loggers.CreateLogger<LeaseStagingSlotClient>(), parts.ApiRequests));
            }

            // The gate reads this node's Ready and critical pods through the node client, and the units over the same bus as the host.
            step = "the health gate";
            var gate = HealthGateFactory.Create(options.Health, node.HealthReader(), busAddress, parts.Time, parts.Loggers, owned);
            credentials?.Start();
            return new AgentComposition(NewLoop(options, parts, host, node, slots, staging, gate), owned);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Dispose(owned);
            throw;
        }
#pragma warning disable CA1031 // Any failure to build the adapters (bad base64, YAML or PEM in a kubeconfig throw what the parsers throw) is a failed start.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Dispose(owned);
            throw new AgentStartException($"{step}: {KubeconfigFile.Describe(e)}", e);
        }
    }

    /// <summary>Closes the adapters built here: the slot client, the node client, the token rotator, their connection, the host backend.</summary>
    public void Dispose() => Dispose(_owned);

    // The one place that builds the loop: what it is given and how it is tuned.
    private static AgentLoop NewLoop(NodeDaemonOptions options, AgentCompositionParts parts, IHostSystem host, INodeClient node, ISlotClient slots,
        IStagingSlotClient staging, IHealthGate gate) =>
        new(node, host, slots, new AgentRecordStore(options.StateDirectory, parts.Time, parts.Loggers.CreateLogger<AgentRecordStore>()),
            parts.BootId ?? new FileBootIdSource(options.BootIdFile), options, parts.Time, parts.Heartbeat, parts.Status,
            parts.Loggers.CreateLogger<AgentLoop>())
        {
            IdleTick = parts.IdleTick,
            SlotRecheck = parts.SlotRecheck,
            StagingSlots = staging,
            StagingRecheck = parts.StagingRecheck,
            ProgressReportInterval = parts.ProgressReportInterval ?? options.ProgressInterval,
            Metrics = parts.Metrics,
            HealthGate = gate,
            Turns = parts.Turns,
        };

    private static T Own<T>(List<IDisposable> owned, T adapter)
    {
        if (adapter is IDisposable disposable)
        {
            owned.Add(disposable);
        }

        return adapter;
    }

    // Last built, first closed: the clients before the host they were built after.
    private static void Dispose(List<IDisposable> owned)
    {
        for (var i = owned.Count - 1; i >= 0; i--)
        {
            owned[i].Dispose();
        }

        owned.Clear();
    }
}
