using System.Globalization;

namespace NodeDaemon.Core.Maintenance;

/// <summary>Says when a maintenance window opens, for the node's message: <c>opens Sat 22:30 Europe/Berlin, in 3 h 10 min</c>.</summary>
public static class OpeningText
{
    /// <summary>The opening's weekday and wall time in its zone, and how long until it, rounded up.</summary>
    /// <remarks>
    /// The wait is coarse on purpose: the message is written to the Node whenever it changes, so minutes are shown only
    /// in the last hour, then ten-minute steps up to a day, then hours.
    /// </remarks>
    public static string Describe(DateTimeOffset opening, string zoneName, DateTimeOffset now)
    {
        var at = opening.ToString("HH:mm", CultureInfo.InvariantCulture);
        return $"opens {MaintenanceSyntax.ShortName(opening.DayOfWeek)} {at} {zoneName}, {Until(opening - now)}";
    }

    /// <summary>A wait as <c>in 12 min</c>, <c>in 3 h 10 min</c> or <c>in 2 d 5 h</c>, always rounded up.</summary>
    public static string Until(TimeSpan wait)
    {
        if (wait <= TimeSpan.Zero)
        {
            return "now";
        }

        var minutes = (long)Math.Ceiling(wait.TotalMinutes);
        if (minutes < 60)
        {
            return $"in {minutes} min";
        }

        var tens = RoundUp(minutes, 10);
        if (tens < 24 * 60)
        {
            return tens % 60 == 0 ? $"in {tens / 60} h" : $"in {tens / 60} h {tens % 60} min";
        }

        var hours = RoundUp(minutes, 60) / 60;
        return hours % 24 == 0 ? $"in {hours / 24} d" : $"in {hours / 24} d {hours % 24} h";
    }

    private static long RoundUp(long value, long step) => (value + step - 1) / step * step;
}
