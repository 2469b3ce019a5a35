namespace NodeDaemon.Agent;

/// <summary>The boot's monotonic clock, as the decisions and the notes measure it (see <see cref="Core.Agent.Moment"/>).</summary>
internal static class BootClock
{
    /// <summary>The time provider's timestamp as a span (CLOCK_MONOTONIC on Linux, which counts from the boot).</summary>
    public static TimeSpan Monotonic(TimeProvider time) => time.GetElapsedTime(0, time.GetTimestamp());
}
