namespace NodeDaemon.Kubernetes.Api;

/// <summary>Exponential delays with jitter and a bound, on an injected clock.</summary>
/// <remarks>Equal jitter (half fixed, half random) keeps nodes that lost the API server together from coming back in lockstep.</remarks>
internal sealed class Backoff(TimeSpan initial, TimeSpan max, TimeProvider time)
{
    private int _attempt;

    /// <summary>The next delay: initial·2^n, capped, then jittered into [d/2, d].</summary>
    public TimeSpan Next()
    {
        var nominal = initial * Math.Pow(2, Math.Min(_attempt, 20));
        _attempt++;
        var capped = nominal > max ? max : nominal;
        return Jitter(capped);
    }

    /// <summary>Starts over after a success.</summary>
    public void Reset() => _attempt = 0;

    /// <summary>Waits the next delay.</summary>
    public Task WaitAsync(CancellationToken cancellationToken) => Task.Delay(Next(), time, cancellationToken);

    /// <summary><paramref name="delay"/> jittered into [d/2, d].</summary>
    public static TimeSpan Jitter(TimeSpan delay) => delay / 2 + delay / 2 * Random.Shared.NextDouble();
}
