namespace NodeDaemon.Core.Agent;

/// <summary>An instant as two clocks saw it: the wall clock, for people and for other boots, and the boot's monotonic clock.</summary>
/// <remarks>
/// Waits that span restarts (the reboot deadline, the stage backoff) are measured on the monotonic clock while the boot
/// is the same one: a wall clock stepped back (NTP, an admin, a bad RTC) would otherwise stretch them by the step.
/// </remarks>
/// <param name="Wall">The wall-clock time.</param>
/// <param name="BootId">The boot the monotonic reading belongs to; readings of two boots cannot be compared.</param>
/// <param name="Monotonic">The monotonic clock (CLOCK_MONOTONIC: time since the boot) at that instant.</param>
public sealed record Moment(DateTimeOffset Wall, string BootId, TimeSpan Monotonic);
