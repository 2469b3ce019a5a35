namespace NodeDaemon.Systemd;

/// <summary>When the agent loop last showed progress; the watchdog is fed only while that is recent.</summary>
/// <remarks>A loop that waits for an event beats on its idle tick, and a long action (a pull, a drain) beats on
/// each progress signal, so only a loop stuck without progress goes stale.</remarks>
public sealed class AgentHeartbeat(TimeProvider time)
{
    private long _lastBeatTicks = time.GetUtcNow().UtcTicks;

    /// <summary>Records progress now.</summary>
    public void Beat() => Interlocked.Exchange(ref _lastBeatTicks, time.GetUtcNow().UtcTicks);

    /// <summary>How long ago the loop last showed progress.</summary>
    public TimeSpan SinceLastBeat => time.GetUtcNow() - new DateTimeOffset(Interlocked.Read(ref _lastBeatTicks), TimeSpan.Zero);

    /// <summary>Whether the loop beat within <paramref name="limit"/>; <paramref name="since"/> is how long ago it did.</summary>
    /// <remarks>The one notion of "fresh": the watchdog feeds by it and <c>/healthz</c> answers by it, so the two
    /// never disagree about a loop that systemd is about to restart.</remarks>
    public bool IsFresh(TimeSpan limit, out TimeSpan since)
    {
        since = SinceLastBeat;
        return since <= limit;
    }
}
