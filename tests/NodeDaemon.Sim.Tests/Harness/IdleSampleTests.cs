using System.Diagnostics;
using NodeDaemon.Hosting;
using NodeDaemon.Sim.Harness;

namespace NodeDaemon.Sim.Tests.Harness;

/// <summary>The idle memory is read once the start-up release has run, for the bench and the demo alike.</summary>
public sealed class IdleSampleTests
{
    [Fact]
    public void The_sample_comes_after_the_start_up_release()
    {
        // The demo once read the daemon's memory before StartupRelease had run and reported start-up, not idling.
        Assert.True(IdleSample.AfterReady > StartupRelease.Delay);
    }

    [Fact]
    public void A_daemon_ready_long_ago_is_sampled_at_once()
    {
        var longAgo = Stopwatch.GetTimestamp() - (long)(IdleSample.AfterReady.TotalSeconds * 2 * Stopwatch.Frequency);
        Assert.Equal(TimeSpan.Zero, IdleSample.DueIn(longAgo));
    }

    [Fact]
    public void A_daemon_just_ready_waits_past_the_release()
    {
        Assert.True(IdleSample.DueIn(Stopwatch.GetTimestamp()) > StartupRelease.Delay);
    }
}
