namespace NodeDaemon.Systemd;

/// <summary>Whether the agent loop is alive: it beat recently, or it is in a wait whose end it has bounded.</summary>
/// <remarks>The heartbeat says the loop runs and that whatever it waits on ends by a known time, not that it wrote a
/// line: a drain waiting for a pod stuck Terminating writes nothing for many minutes, yet its end is bounded by
/// <c>drain.timeoutSeconds</c>, and killing it there would restart the drain (and, before its start was persisted, its
/// timer) forever. So the loop beats every turn and idle tick, and before a long action declares how long the action
/// may take (<see cref="Bound"/>); only a loop past both, by the watchdog's own limit, is stale. Monotonic time: a
/// stepped wall clock neither starves nor feeds the watchdog.</remarks>
public sealed class AgentHeartbeat(TimeProvider time)
{
    private long _lastBeat = time.GetTimestamp();
    private long _boundUntil = long.MinValue;

    /// <summary>Records that the loop is alive now (a turn, an idle tick, a progress signal).</summary>
    public void Beat() => Interlocked.Exchange(ref _lastBeat, time.GetTimestamp());

    /// <summary>The loop is alive now and busy with a wait that ends within <paramref name="within"/> (the action's own
    /// timeout, plus the time to wind down). Lasts until <see cref="Unbound"/> or the next <see cref="Bound"/>.</summary>
    public void Bound(TimeSpan within)
    {
        var now = time.GetTimestamp();
        Interlocked.Exchange(ref _lastBeat, now);
        Interlocked.Exchange(ref _boundUntil, within >= TimeSpan.FromDays(365) ? long.MaxValue / 2 : now + (long)(within.TotalSeconds * time.TimestampFrequency));
    }

    /// <summary>The bounded wait is over; the loop is alive now.</summary>
    public void Unbound()
    {
        Interlocked.Exchange(ref _boundUntil, long.MinValue);
        Beat();
    }

    /// <summary>How long ago the loop last beat (a bounded wait beats once, at its start).</summary>
    public TimeSpan SinceLastBeat => time.GetElapsedTime(Interlocked.Read(ref _lastBeat));

    /// <summary>Whether the loop beat within <paramref name="limit"/> or is within <paramref name="limit"/> past the end of
    /// its bounded wait; <paramref name="since"/> is how long past the later of the two it is (zero or less when fresh).</summary>
    /// <remarks>The one notion of "fresh": the watchdog feeds by it and <c>/healthz</c> answers by it, so the two
    /// never disagree about a loop that systemd is about to restart.</remarks>
    public bool IsFresh(TimeSpan limit, out TimeSpan since)
    {
        var alive = Math.Max(Interlocked.Read(ref _lastBeat), Interlocked.Read(ref _boundUntil));
        since = time.GetElapsedTime(alive);
        return since <= limit;
    }
}
