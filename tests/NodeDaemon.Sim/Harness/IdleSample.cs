using System.Diagnostics;
using NodeDaemon.Hosting;

namespace NodeDaemon.Sim.Harness;

/// <summary>When an idle daemon's memory is read: the same moment for the footprint bench, the happy-path bench and the
/// demo, so that the figure an admin sees in the demo is the one docs/benchmarks.md reports.</summary>
/// <remarks>The daemon gives back its start-up pages <see cref="StartupRelease.Delay"/> after READY=1
/// (<see cref="StartupRelease"/>); reading before that reports start-up, not idling (the demo printed 27.6 MB that way
/// while the bench said 18.4). Two more seconds let the release finish on a loaded machine.</remarks>
public static class IdleSample
{
    /// <summary>How long after READY=1 the memory is read.</summary>
    public static readonly TimeSpan AfterReady = StartupRelease.Delay + TimeSpan.FromSeconds(2);

    /// <summary>How long from now until the sample is due for a daemon that said READY=1 at <paramref name="readyAt"/>
    /// (a <see cref="Stopwatch"/> timestamp); zero once due.</summary>
    public static TimeSpan DueIn(long readyAt)
    {
        var left = AfterReady - Stopwatch.GetElapsedTime(readyAt);
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }
}
