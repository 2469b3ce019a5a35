using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;

namespace NodeDaemon.Systemd;

/// <summary>Feeds the systemd watchdog (WATCHDOG=1) at half its timeout, but only while the agent loop makes progress.</summary>
/// <remarks>Hosting.Systemd has no watchdog of its own. Feeding it from a timer alone would keep a daemon with a
/// hung loop alive forever; withholding it lets systemd restart us, and the agent resumes from the node and host.</remarks>
public sealed partial class WatchdogService(
    ISystemdNotifier notifier,
    AgentHeartbeat heartbeat,
    WatchdogSettings settings,
    TimeProvider time,
    ILogger<WatchdogService> logger) : BackgroundService
{
    private static readonly ServiceState s_watchdog = new("WATCHDOG=1");
    private bool _withheld;

    /// <summary>Feeds once if the loop is healthy; returns whether it fed.</summary>
    public bool Tick()
    {
        if (!heartbeat.IsFresh(settings.StallLimit, out var since))
        {
            if (!_withheld)
            {
                LogWithheld(Math.Round(since.TotalSeconds, 1));
                _withheld = true;
            }

            return false;
        }

        if (_withheld)
        {
            LogResumed();
            _withheld = false;
        }

        notifier.Notify(s_watchdog);
        return true;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (settings.Timeout is null || !notifier.IsEnabled)
        {
            return;
        }

        LogEnabled(settings.Timeout.Value.TotalSeconds, settings.Interval.TotalSeconds);
        using var timer = new PeriodicTimer(settings.Interval, time);
        do
        {
            Tick();
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
