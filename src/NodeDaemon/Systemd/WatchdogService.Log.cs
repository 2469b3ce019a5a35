using Microsoft.Extensions.Logging;
using NodeDaemon.Diagnostics;

namespace NodeDaemon.Systemd;

/// <summary>Source-generated log messages of the watchdog.</summary>
public sealed partial class WatchdogService
{
    [LoggerMessage((int)LogEventId.WatchdogWithheld, LogLevel.Error,
        "Agent loop made no progress for {Stalled}; withholding the watchdog so that systemd restarts the daemon")]
    private partial void LogWithheld(TimeSpan stalled);

    [LoggerMessage((int)LogEventId.WatchdogResumed, LogLevel.Warning, "Agent loop makes progress again; feeding the watchdog")]
    private partial void LogResumed();

    [LoggerMessage((int)LogEventId.WatchdogEnabled, LogLevel.Information, "Watchdog on: timeout {WatchdogTimeout}, fed every {WatchdogInterval}")]
    private partial void LogEnabled(TimeSpan watchdogTimeout, TimeSpan watchdogInterval);
}
