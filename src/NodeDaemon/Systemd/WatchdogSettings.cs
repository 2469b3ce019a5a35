using System.Globalization;

namespace NodeDaemon.Systemd;

/// <summary>The systemd watchdog as the service manager set it up: on or off, and its timeout.</summary>
/// <param name="Timeout">WATCHDOG_USEC; systemd kills the service when no WATCHDOG=1 arrives within it.</param>
public sealed record WatchdogSettings(TimeSpan? Timeout)
{
    /// <summary>Feed at half the timeout, as sd_watchdog_enabled(3) advises.</summary>
    public TimeSpan Interval => (Timeout ?? TimeSpan.Zero) / 2;

    /// <summary>Reads WATCHDOG_USEC and WATCHDOG_PID; the watchdog is meant for us only when the pid is ours or unset.</summary>
    public static WatchdogSettings FromEnvironment(Func<string, string?> getVariable, int processId)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        var pid = getVariable("WATCHDOG_PID");
        if (pid is not null && pid != processId.ToString(CultureInfo.InvariantCulture))
        {
            return new WatchdogSettings((TimeSpan?)null);
        }

        return long.TryParse(getVariable("WATCHDOG_USEC"), NumberStyles.None, CultureInfo.InvariantCulture, out var usec) && usec > 0
            ? new WatchdogSettings(TimeSpan.FromMicroseconds(usec))
            : new WatchdogSettings((TimeSpan?)null);
    }
}
