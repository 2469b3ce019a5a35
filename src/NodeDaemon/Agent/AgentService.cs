using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NodeDaemon.Core.Agent;
using NodeDaemon.Core.Options;
using NodeDaemon.Systemd;

namespace NodeDaemon.Agent;

/// <summary>The agent's hosted loop. In this build it has no host or cluster adapters yet: it reports that and idles.</summary>
/// <remarks>The rpm-ostreed and Kubernetes adapters and the loop that feeds their observations into
/// <see cref="Decider"/> come next; until then the service still proves the process model: start, READY, STATUS,
/// a watchdog fed by a live loop, and a clean stop.</remarks>
public sealed partial class AgentService(
    NodeDaemonOptions options,
    AgentHeartbeat heartbeat,
    WatchdogSettings watchdog,
    StatusReporter status,
    TimeProvider time,
    ILogger<AgentService> logger) : BackgroundService
{
    /// <summary>How often an idle loop shows it is alive.</summary>
    public static readonly TimeSpan IdleTick = TimeSpan.FromSeconds(5);

    private readonly AgentStateMachine _machine = new();

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        LogStarting(ThisAssemblyVersion.Informational, options.NodeName, options.AnnotationPrefix);
        _machine.TransitionTo(AgentState.Idle);
        status.Report(_machine.Current.ToString(), "no host or cluster adapter in this build; nothing to do");
        heartbeat.Beat();
        // Beat well inside the watchdog timeout, or a healthy idle loop would look stuck.
        var tick = watchdog.Timeout is { } timeout && timeout / 4 < IdleTick ? timeout / 4 : IdleTick;
        using var timer = new PeriodicTimer(tick, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            heartbeat.Beat();
        }
    }

    [LoggerMessage((int)Core.Diagnostics.LogEventId.Starting, LogLevel.Information,
        "nodedaemon {Version} starting for node {NodeName} (annotation prefix {AnnotationPrefix})")]
    private partial void LogStarting(string version, string nodeName, string annotationPrefix);
}
