using System.Diagnostics.CodeAnalysis;
using NodeDaemon.Core.Options;

namespace NodeDaemon.Core.Maintenance;

/// <summary>When the node may be disrupted: a pure function of the windows, their time zone and the instant asked about.</summary>
/// <remarks>
/// A window opens at its start time on the wall clock of <see cref="Zone"/>, on each of its days, and stays open for
/// its length in elapsed time. Daylight saving time changes only the first part:
/// <list type="bullet">
/// <item>A start the clock skips (02:30 on a spring-forward night in Europe/Berlin) is read on the clock in force
/// before the jump, so the window opens at 03:30 summer time, the instant that would have been 02:30, and still
/// lasts its full length (as java.time and NodaTime resolve such times).</item>
/// <item>A start the clock shows twice (02:30 on a fall-back night) opens at the first of the two, once.</item>
/// <item>A window that spans a change lasts its length in real minutes, so its end moves by an hour on the wall clock.</item>
/// </list>
/// </remarks>
public sealed class MaintenanceSchedule
{
    // A window is at most a week long, so one that covers an instant started within the 8 local days before it;
    // and every window starts at least once a week, so the next start lies within 8 days after it.
    private const int DaysAround = 8;

    /// <summary>Creates a schedule; no windows means always open.</summary>
    public MaintenanceSchedule(IReadOnlyList<MaintenanceWindow> windows, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(windows);
        ArgumentNullException.ThrowIfNull(zone);
        Windows = windows;
        Zone = zone;
    }

    /// <summary>No windows: disruption allowed at any time (the default).</summary>
    public static MaintenanceSchedule Always { get; } = new([], TimeZoneInfo.Utc);

    /// <summary>The windows; disruption is allowed while any is open.</summary>
    public IReadOnlyList<MaintenanceWindow> Windows { get; }

    /// <summary>The zone whose wall clock the days and start times are read on.</summary>
    public TimeZoneInfo Zone { get; }

    /// <summary>True when there are no windows, so the schedule never holds anything.</summary>
    public bool IsAlwaysOpen => Windows.Count == 0;

    /// <summary>The schedule of validated options.</summary>
    /// <exception cref="InvalidOperationException">The options do not validate; <see cref="NodeDaemonOptions.Validate"/> reports that at start.</exception>
    public static MaintenanceSchedule From(MaintenanceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!TryFindTimeZone(options.TimeZone, out var zone))
        {
            throw new InvalidOperationException($"maintenance.timeZone {ValueText.Quote(options.TimeZone)} is not a known time zone");
        }

        var windows = new List<MaintenanceWindow>();
        foreach (var window in options.Windows)
        {
            var days = new HashSet<DayOfWeek>();
            foreach (var name in window.Days)
            {
                days.Add(MaintenanceSyntax.TryParseDay(name, out var day)
                    ? day
                    : throw new InvalidOperationException($"maintenance window day {ValueText.Quote(name)} is not a day name"));
            }

            if (!MaintenanceSyntax.TryParseStart(window.Start, out var start) || window.LengthMinutes < 1)
            {
                throw new InvalidOperationException($"maintenance window start {ValueText.Quote(window.Start)} or length {window.LengthMinutes} is invalid");
            }

            windows.Add(new MaintenanceWindow(days.Count == 0 ? MaintenanceWindow.EveryDay : days, start, TimeSpan.FromMinutes(window.LengthMinutes)));
        }

        return new MaintenanceSchedule(windows, zone);
    }

    /// <summary>Finds an IANA zone (read from the system's tzdata, which needs no ICU); false for an unknown or empty id.</summary>
    public static bool TryFindTimeZone(string? id, [NotNullWhen(true)] out TimeZoneInfo? zone)
    {
        zone = null;
        return !string.IsNullOrWhiteSpace(id) && TimeZoneInfo.TryFindSystemTimeZoneById(id, out zone);
    }

    /// <summary>Whether some window is open at <paramref name="now"/> (start included, end excluded).</summary>
    public bool IsOpen(DateTimeOffset now)
    {
        if (IsAlwaysOpen)
        {
            return true;
        }

        var today = LocalDate(now);
        foreach (var window in Windows)
        {
            for (var back = 0; back <= DaysAround; back++)
            {
                var date = today.AddDays(-back);
                if (window.Days.Contains(date.DayOfWeek) && OpeningOn(date, window.Start) is var opened
                    && opened <= now && now < opened + window.Length)
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// The first window start after <paramref name="now"/>, as a time in <see cref="Zone"/> (its offset is the zone's
    /// then); null when the schedule is always open.
    /// </summary>
    public DateTimeOffset? NextOpening(DateTimeOffset now)
    {
        DateTimeOffset? next = null;
        var today = LocalDate(now);
        foreach (var window in Windows)
        {
            for (var ahead = -1; ahead <= DaysAround; ahead++)
            {
                var date = today.AddDays(ahead);
                if (window.Days.Contains(date.DayOfWeek) && OpeningOn(date, window.Start) is var opening
                    && opening > now && (next is null || opening < next))
                {
                    next = opening;
                }
            }
        }

        return next;
    }

    /// <summary>The instant a window starting at <paramref name="start"/> on <paramref name="date"/> opens, in the zone's offset.</summary>
    private DateTimeOffset OpeningOn(DateOnly date, TimeOnly start)
    {
        var local = date.ToDateTime(start, DateTimeKind.Unspecified);
        TimeSpan offset;
        if (Zone.IsInvalidTime(local))
        {
            // Skipped by a spring-forward: read on the clock before the jump. No zone changes its offset twice in a day.
            offset = Zone.GetUtcOffset(local.AddDays(-1));
        }
        else if (Zone.IsAmbiguousTime(local))
        {
            // Shown twice by a fall-back: the larger offset is the earlier instant.
            offset = Zone.GetAmbiguousTimeOffsets(local).Max();
        }
        else
        {
            offset = Zone.GetUtcOffset(local);
        }

        return TimeZoneInfo.ConvertTime(new DateTimeOffset(local, offset), Zone);
    }

    private DateOnly LocalDate(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, Zone).DateTime);
}
