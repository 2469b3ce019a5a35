namespace NodeDaemon.Core.Agent;

/// <summary>How long ago a persisted instant was for a decision: on the boot's monotonic clock when it can be, else on a clamped wall clock.</summary>
internal static class DecisionClock
{
    /// <summary>The time since <paramref name="wall"/> (noted in <paramref name="bootId"/> with the monotonic reading
    /// <paramref name="monotonic"/>); the rule is <see cref="Moment.Elapsed"/>.</summary>
    internal static TimeSpan Since(AgentInputs inputs, DateTimeOffset wall, string? bootId, TimeSpan? monotonic) =>
        Moment.Elapsed(wall, bootId, monotonic, inputs.Now, inputs.Host.BootId, inputs.Monotonic);

    /// <summary>How long the stage backoff still holds; null when the next attempt is due.</summary>
    internal static TimeSpan? StageBackoff(AgentInputs inputs, AgentRecord record)
    {
        if (record.StageFailures <= 0 || record.NextStageAttemptAt is not { } next)
        {
            return null;
        }

        // Never longer than the longest backoff, whatever the file says.
        var longest = AgentRecord.StageDelay(int.MaxValue, inputs.Options.Staging);
        TimeSpan remaining;
        if (record.StageFailedAt is { } at)
        {
            var delay = next - at.Wall;
            remaining = (delay < TimeSpan.Zero ? TimeSpan.Zero : delay > longest ? longest : delay) - Since(inputs, at.Wall, at.BootId, at.Monotonic);
        }
        else
        {
            remaining = next > inputs.Now ? next - inputs.Now : TimeSpan.Zero;
            remaining = remaining > longest ? TimeSpan.Zero : remaining;
        }

        return remaining > TimeSpan.Zero ? remaining : null;
    }
}
