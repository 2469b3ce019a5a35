using NodeDaemon.Sim.KubeApi.Store;

namespace NodeDaemon.Sim.KubeApi.Controllers;

/// <summary>
/// Runs the server's delayed work (end of grace periods, pods turning Ready) on the injected clock, with every nominal delay
/// multiplied by the time scale, so tests can compress a 30 s grace period into milliseconds or drive it with a fake clock.
/// </summary>
public sealed class SimScheduler : IDisposable
{
    private readonly TimeProvider _time;
    private readonly double _scale;
    private readonly object _gate = new();
    private readonly HashSet<ITimer> _timers = [];
    private bool _disposed;

    /// <summary>A scheduler on <paramref name="time"/>; <paramref name="scale"/> 0.01 makes 30 s take 300 ms.</summary>
    public SimScheduler(TimeProvider time, double scale)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(scale);
        _time = time;
        _scale = scale;
    }

    /// <summary>Runs <paramref name="action"/> once, after the scaled <paramref name="nominal"/> delay (at once for zero).</summary>
    public void After(TimeSpan nominal, Action action) => AfterReal(Real(nominal), action);

    /// <summary>The real time a <paramref name="nominal"/> delay takes.</summary>
    public TimeSpan Real(TimeSpan nominal) => nominal * _scale;

    /// <summary>Runs <paramref name="action"/> once, after <paramref name="due"/> of real (clock) time, unscaled: for
    /// delays a test states in real time.</summary>
    public void AfterReal(TimeSpan due, Action action)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            ITimer? timer = null;
            timer = _time.CreateTimer(_ =>
            {
                lock (_gate)
                {
                    if (_disposed)
                    {
                        return;
                    }

                    _timers.Remove(timer!);
                }

                try
                {
                    action();
                }
                catch (ApiException)
                {
                    // The object changed or went away meanwhile: the delayed work no longer applies.
                }
            }, null, due <= TimeSpan.Zero ? TimeSpan.Zero : due, Timeout.InfiniteTimeSpan);
            _timers.Add(timer);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            foreach (var timer in _timers)
            {
                timer.Dispose();
            }

            _timers.Clear();
        }
    }
}
