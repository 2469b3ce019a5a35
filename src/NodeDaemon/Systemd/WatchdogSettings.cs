using System.Globalization;

namespace NodeDaemon.Systemd;

/// <summary>The systemd watchdog as the service manager set it up: on or off, and its timeout.</summary>
/// <param name="Timeout">WATCHDOG_USEC; systemd kills the service when no WATCHDOG=1 arrives within it.</param>
public sealed record WatchdogSettings(TimeSpan? Timeout)
{
    /// <summary>The unit's <c>WatchdogSec=</c>: how long a loop without progress counts as fresh when no watchdog is set
    /// (a run outside systemd, or a drop-in that turned it off).</summary>
    public static readonly TimeSpan DefaultStallLimit = TimeSpan.FromMinutes(3);

    /// <summary>Feed at half the timeout, as sd_watchdog_enabled(3) advises.</summary>
    public TimeSpan Interval => (Timeout ?? TimeSpan.Zero) / 2;

    /// <summary>How long the agent loop may go without progress before it counts as stuck: the watchdog's timeout.</summary>
    public TimeSpan StallLimit => Timeout ?? DefaultStallLimit;

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
