namespace NodeDaemon.Sim.Fleet;

/// <summary>Pulls under way across a fleet's simulated hosts, and the most at once: what the registry would see.</summary>
public sealed class PullGauge
{
    private int _current;
    private int _peak;

    /// <summary>The most pulls that ran at once so far.</summary>
    public int Peak => Volatile.Read(ref _peak);

    /// <summary>A pull starts.</summary>
    public void Begin()
    {
        var now = Interlocked.Increment(ref _current);
        int peak;
        while (now > (peak = Volatile.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, now, peak) != peak)
        {
            // Another pull raised the peak in between: read it again.
        }
    }

    /// <summary>A pull ended (staged, failed or cancelled).</summary>
    public void End() => Interlocked.Decrement(ref _current);
}
