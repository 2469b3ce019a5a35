using System.Diagnostics;

namespace NodeDaemon.Sim.Fleet;

/// <summary>
/// Samples the harness itself while a pool runs: how late a timer fires (the process's own CPU starvation, which
/// stretches every scaled duration), and how many file descriptors and sockets the process holds (both ends of every
/// loopback connection are in it, against a hard limit).
/// </summary>
/// <remarks>
/// A timer that should fire every <see cref="Interval"/> and fires later by L says that every agent's delay of that
/// moment was stretched by about L too: the nominal makespan the harness adds, not the daemon. Counted from
/// <c>/proc/self/fd</c>, where a socket reads <c>socket:[inode]</c>; without <c>/proc</c> the counts stay zero.
/// </remarks>
public sealed class HarnessProbe : IAsyncDisposable
{
    /// <summary>How often the probe wakes.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    private readonly CancellationTokenSource _stop = new();
    private readonly List<double> _lagsMs = [];
    private readonly Task _sampling;
    private int _stopped;

    private HarnessProbe() => _sampling = SampleAsync(_stop.Token);

    /// <summary>The most file descriptors the process held at one sample.</summary>
    public int PeakOpenFiles { get; private set; }

    /// <summary>The most sockets the process held at one sample.</summary>
    public int PeakSockets { get; private set; }

    /// <summary>Starts sampling now.</summary>
    public static HarnessProbe Start() => new();

    /// <summary>Mean real milliseconds the probe's timer fired late.</summary>
    public double MeanLagMs
    {
        get
        {
            lock (_lagsMs)
            {
                return _lagsMs.DefaultIfEmpty(0).Average();
            }
        }
    }

    /// <summary>The 99th percentile of the real milliseconds the probe's timer fired late.</summary>
    public double P99LagMs
    {
        get
        {
            lock (_lagsMs)
            {
                if (_lagsMs.Count == 0)
                {
                    return 0;
                }

                var sorted = _lagsMs.Order().ToList();
                return sorted[Math.Min(sorted.Count - 1, (int)(sorted.Count * 0.99))];
            }
        }
    }

    /// <summary>Stops sampling (once; the figures stay readable).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        await _sampling.ConfigureAwait(false);
        _stop.Dispose();
    }

    /// <summary>File descriptors and, among them, sockets the process holds now: (0, 0) without <c>/proc</c>.</summary>
    public static (int Files, int Sockets) CountDescriptors()
    {
        var (files, sockets) = (0, 0);
        try
        {
            foreach (var fd in Directory.EnumerateFiles("/proc/self/fd"))
            {
                files++;
                try
                {
                    if (new FileInfo(fd).LinkTarget is { } target && target.StartsWith("socket:", StringComparison.Ordinal))
                    {
                        sockets++;
                    }
                }
                catch (IOException)
                {
                    // Closed between the listing and the read: it no longer counts.
                }
            }
        }
        catch (DirectoryNotFoundException)
        {
        }

        return (files, sockets);
    }

    private async Task SampleAsync(CancellationToken cancellationToken)
    {
        // Off the starting thread; from here on the probe competes for the thread pool like any agent does.
        await Task.Yield();
        var ticks = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var asked = Stopwatch.GetTimestamp();
            try
            {
                await Task.Delay(Interval, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var late = Stopwatch.GetElapsedTime(asked) - Interval;
            lock (_lagsMs)
            {
                _lagsMs.Add(Math.Max(0, late.TotalMilliseconds));
            }

            // The descriptor count walks a directory of up to 20,000 entries: once a second is enough.
            if (ticks++ % 5 == 0)
            {
                var (files, sockets) = CountDescriptors();
                PeakOpenFiles = Math.Max(PeakOpenFiles, files);
                PeakSockets = Math.Max(PeakSockets, sockets);
            }
        }
    }
}
