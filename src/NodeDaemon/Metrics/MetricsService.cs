using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NodeDaemon.Core.Options;
using NodeDaemon.Systemd;

namespace NodeDaemon.Metrics;

/// <summary>Serves <c>/metrics</c> and <c>/healthz</c> on <c>metrics.listen</c> for as long as the daemon runs.</summary>
/// <remarks>An address that cannot be bound (a port in use, a live socket at the path) does not stop the daemon: the
/// update agent matters more than its metrics. It is logged as an error and tried again every
/// <see cref="RetryDelay"/>, and a scraper or probe sees the endpoint missing meanwhile.</remarks>
public sealed partial class MetricsService(
    NodeDaemonOptions options,
    AgentMetrics metrics,
    AgentHeartbeat heartbeat,
    WatchdogSettings watchdog,
    TimeProvider time,
    ILogger<MetricsService> logger) : BackgroundService
{
    /// <summary>How long to wait before trying an address that could not be bound again.</summary>
    public static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(30);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Validated at start: an address that does not parse never gets here.
        if (!MetricsListenAddress.TryParse(options.Metrics.Listen, out var address, out _) || address is null)
        {
            return;
        }

        var endpoints = new MetricsEndpoints(metrics, new HealthCheck(heartbeat, watchdog));
        while (true)
        {
            MetricsServer server;
            try
            {
                server = MetricsServer.Listen(address, endpoints, time, logger, out var removedStale);
                if (removedStale)
                {
                    LogStaleSocketRemoved(address.SocketPath!);
                }
            }
            catch (Exception e) when (e is SocketException or IOException or UnauthorizedAccessException)
            {
                LogListenFailed(address.ToString(), e.Message, RetryDelay.TotalSeconds);
                try
                {
                    await Task.Delay(RetryDelay, time, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                continue;
            }

            await using (server.ConfigureAwait(false))
            {
                LogListening(server.Address);
                await server.RunAsync(stoppingToken).ConfigureAwait(false);
            }

            LogStopped(address.ToString());
            return;
        }
    }
}
