using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NodeDaemon.Core.Agent;
using NodeDaemon.Core.Options;
using NodeDaemon.Hosting;
using NodeDaemon.Kubernetes.Api;
using NodeDaemon.Metrics;
using NodeDaemon.Systemd;

namespace NodeDaemon.Agent;

/// <summary>The agent as a hosted service: builds the agent through <see cref="AgentComposition"/> and runs its <see cref="AgentLoop"/>.</summary>
/// <remarks>A failure to build the adapters (no rpm-ostreed and no bootc, an unreadable kubeconfig) stops the
/// daemon with exit code 1: systemd's restart policy then tries again, and the reason is in the journal and on
/// the STATUS line.</remarks>
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
    IdleTrim idleTrim,
    ILogger<AgentService> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        LogStarting(ThisAssemblyVersion.Informational, options.NodeName, options.AnnotationPrefix);
        foreach (var warning in options.Warnings())
        {
            LogConfigurationWarning(warning);
        }

        // Beat well inside the watchdog timeout, or a healthy idle loop would look stuck.
        var idle = AgentCompositionParts.DefaultIdleTick;
        var parts = new AgentCompositionParts(time, heartbeat, status)
        {
            Loggers = loggers,
            Metrics = metrics,
            ApiRequests = apiRequests,
            Turns = idleTrim,
            IdleTick = watchdog.Timeout is { } timeout && timeout / 4 < idle ? timeout / 4 : idle,
        };
        AgentComposition agent;
        try
        {
            agent = await AgentComposition.CreateAsync(options, parts, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }
        catch (AgentStartException e)
        {
            Stop(1, $"cannot start: {e.Message}");
            return;
        }

        using (agent)
        {
            try
            {
                await agent.Loop.RunAsync(stoppingToken).ConfigureAwait(false);
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
