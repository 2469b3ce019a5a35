using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NodeDaemon.Core.Agent;
using NodeDaemon.Core.Cluster;
using NodeDaemon.Core.Fleet;
using NodeDaemon.Core.Host;
using NodeDaemon.Core.Options;
using NodeDaemon.Kubernetes;
using NodeDaemon.Kubernetes.Api;
using NodeDaemon.Kubernetes.Fleet;
using NodeDaemon.Metrics;
using NodeDaemon.RpmOstree;
using NodeDaemon.State;
using NodeDaemon.Systemd;

namespace NodeDaemon.Agent;

/// <summary>The agent as a hosted service: builds the host and cluster adapters and runs the <see cref="AgentLoop"/>.</summary>
/// <remarks>A failure to build the adapters (no rpm-ostreed and no bootc, an unreadable kubeconfig) stops the
/// daemon with exit code 1: systemd's restart policy then tries again, and the reason is in the journal and on
/// the STATUS line. With <c>fleet.enabled</c> the loop takes turns with its pool through a <see cref="LeaseSlotClient"/> on the
/// same kubeconfig; without it, it gets a slot seam that holds nothing and is never asked.</remarks>
public sealed partial class AgentService(
    NodeDaemonOptions options,
    AgentHeartbeat heartbeat,
    WatchdogSettings watchdog,
    StatusReporter status,
    IAgentMetrics metrics,
    IApiRequestObserver apiRequests,
    TimeProvider time,
    ILoggerFactory loggers,
    IHostApplicationLifetime lifetime,
    ILogger<AgentService> logger) : BackgroundService
{
    /// <summary>How often an idle loop looks again when the watchdog does not ask for more.</summary>
    public static readonly TimeSpan IdleTick = TimeSpan.FromSeconds(30);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        LogStarting(ThisAssemblyVersion.Informational, options.NodeName, options.AnnotationPrefix);
        IHostSystem host;
        INodeClient node;
        ISlotClient slots = NoSlotClient.Instance;
        // What was being built, for the one line that says why the daemon cannot start.
        var step = "the host backend";
        try
        {
            var busAddress = RpmOstreeNames.SystemBusAddress(Environment.GetEnvironmentVariable);
            host = await HostSystemFactory.CreateAsync(options, busAddress, time, loggers, stoppingToken).ConfigureAwait(false);
            step = options.Kubeconfig.Length > 0 ? $"kubeconfig {options.Kubeconfig}" : "the in-cluster or default kubeconfig";
            Hosting.KubeconfigFile.Check(options.Kubeconfig);
            node = KubeNodeClient.Create(options.Kubeconfig, KubeNodeClientOptions.From(options), time, loggers.CreateLogger<KubeNodeClient>(), apiRequests);
            if (options.Fleet.Enabled)
            {
                slots = LeaseSlotClient.Create(options.Kubeconfig, LeaseSlotClientOptions.From(options), time, loggers.CreateLogger<LeaseSlotClient>(), apiRequests);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }
#pragma warning disable CA1031 // Any failure to build the adapters (bad base64, YAML or PEM in a kubeconfig throw what the parsers throw) is a failed start.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Stop(1, $"cannot start: {step}: {Hosting.KubeconfigFile.Describe(e)}");
            return;
        }

        try
        {
            // Beat well inside the watchdog timeout, or a healthy idle loop would look stuck.
            var tick = watchdog.Timeout is { } timeout && timeout / 4 < IdleTick ? timeout / 4 : IdleTick;
            var loop = new AgentLoop(node, host, slots, new AgentRecordStore(options.StateDirectory, time, loggers.CreateLogger<AgentRecordStore>()),
                new FileBootIdSource(options.BootIdFile), options, time, heartbeat, status, loggers.CreateLogger<AgentLoop>())
            {
                IdleTick = tick,
                Metrics = metrics,
            };
            await loop.RunAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
#pragma warning disable CA1031 // The daemon's last line: whatever broke the loop, exit non-zero so systemd restarts it.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Stop(1, $"the agent loop failed: {e.Message}");
        }
        finally
        {
            (slots as IDisposable)?.Dispose();
            (node as IDisposable)?.Dispose();
            (host as IDisposable)?.Dispose();
        }
    }

    private void Stop(int exitCode, string why)
    {
        LogCannotRun(why);
        status.Report(AgentState.Idle.ToString(), why);
        Environment.ExitCode = exitCode;
        lifetime.StopApplication();
    }
}
