using Microsoft.Extensions.Logging;
using NodeDaemon.Core.Diagnostics;

namespace NodeDaemon.Systemd;

/// <summary>Source-generated log messages of the watchdog.</summary>
public sealed partial class WatchdogService
{
    [LoggerMessage((int)LogEventId.WatchdogWithheld, LogLevel.Error,
        "Agent loop made no progress for {StalledSeconds} s; withholding the watchdog so that systemd restarts the daemon")]
    private partial void LogWithheld(double stalledSeconds);

    [LoggerMessage((int)LogEventId.WatchdogResumed, LogLevel.Warning, "Agent loop makes progress again; feeding the watchdog")]
    private partial void LogResumed();

    [LoggerMessage((int)LogEventId.WatchdogEnabled, LogLevel.Information, "Watchdog on: timeout {WatchdogTimeoutSeconds} s, fed every {WatchdogIntervalSeconds} s")]
    private partial void LogEnabled(double watchdogTimeoutSeconds, double watchdogIntervalSeconds);
}
