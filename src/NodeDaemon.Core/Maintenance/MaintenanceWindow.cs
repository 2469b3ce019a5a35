namespace NodeDaemon.Core.Maintenance;

/// <summary>One parsed maintenance window: the local days it starts on, its local start time and its length.</summary>
/// <param name="Days">Days the window starts on; a window that runs past midnight belongs to the day it starts.</param>
/// <param name="Start">Wall-clock start in the schedule's time zone.</param>
/// <param name="Length">Elapsed time it stays open, whatever the wall clock does meanwhile (DST).</param>
public sealed record MaintenanceWindow(IReadOnlySet<DayOfWeek> Days, TimeOnly Start, TimeSpan Length)
{
    /// <summary>Every day of the week, for a window written without days.</summary>
    public static readonly IReadOnlySet<DayOfWeek> EveryDay = Enum.GetValues<DayOfWeek>().ToHashSet();
}
