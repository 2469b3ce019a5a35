namespace NodeDaemon.Core.Agent;

/// <summary>An instant as two clocks saw it: the wall clock, for people and for other boots, and the boot's monotonic clock.</summary>
/// <remarks>
/// Waits that span restarts (the reboot deadline, the stage backoff) are measured on the monotonic clock while the boot
/// is the same one: a wall clock stepped back (NTP, an admin, a bad RTC) would otherwise stretch them by the step.
/// </remarks>
/// <param name="Wall">The wall-clock time.</param>
/// <param name="BootId">The boot the monotonic reading belongs to; readings of two boots cannot be compared.</param>
/// <param name="Monotonic">The monotonic clock (CLOCK_MONOTONIC: time since the boot) at that instant.</param>
public sealed record Moment(DateTimeOffset Wall, string BootId, TimeSpan Monotonic)
{
    /// <summary>A moment from notes that kept only the wall clock: its empty boot id matches no boot, so the wall clock answers.</summary>
    public static Moment WallOnly(DateTimeOffset wall) => new(wall, "", TimeSpan.Zero);

    /// <summary>The time from an instant (<paramref name="wall"/>, noted in <paramref name="bootId"/> with the monotonic reading
    /// <paramref name="monotonic"/>) to now (<paramref name="now"/>, <paramref name="nowBootId"/>, <paramref name="nowMonotonic"/>).</summary>
    /// <remarks>
    /// Within the same boot the monotonic clock answers, so a wall clock stepped back or forth changes nothing. Across
    /// boots, or for notes without a reading, the wall clock answers; an instant from its future (the clock went back,
    /// or the file says year 9999) counts as long past, since waiting on it could last for ever, and every wait it
    /// ends is followed by a bounded retry.
    /// </remarks>
    public static TimeSpan Elapsed(DateTimeOffset wall, string? bootId, TimeSpan? monotonic, DateTimeOffset now, string nowBootId, TimeSpan? nowMonotonic)
    {
        if (!string.IsNullOrEmpty(bootId) && bootId == nowBootId && monotonic is { } then && nowMonotonic is { } current)
        {
            return current >= then ? current - then : TimeSpan.MaxValue;
        }

        return now >= wall ? now - wall : TimeSpan.MaxValue;
    }

    /// <summary>The time from this moment to now; see <see cref="Elapsed"/>.</summary>
    public TimeSpan ElapsedTo(DateTimeOffset now, string nowBootId, TimeSpan? nowMonotonic) =>
        Elapsed(Wall, BootId, Monotonic, now, nowBootId, nowMonotonic);
}
