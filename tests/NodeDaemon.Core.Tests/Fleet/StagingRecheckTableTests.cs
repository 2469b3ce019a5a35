using NodeDaemon.Core.Fleet;

namespace NodeDaemon.Core.Tests.Fleet;

/// <summary>The wait of a node refused a staging slot, per refusal in a row: doubling from the base, capped.</summary>
public sealed class StagingRecheckTableTests
{
    [Theory]
    // refusals in a row, jitter, expected seconds (base 30 s)
    [InlineData(0, 0.0, 30)] // no refusal counted yet reads as the first
    [InlineData(1, 0.0, 30)] // the first recheck as before: 30-60 s
    [InlineData(1, 0.5, 45)]
    [InlineData(2, 0.0, 60)]
    [InlineData(3, 0.0, 120)]
    [InlineData(4, 0.0, 240)] // the cap: 8 x the base
    [InlineData(4, 0.999, 479.76)]
    [InlineData(5, 0.0, 240)]
    [InlineData(1000, 0.0, 240)]
    [InlineData(int.MaxValue, 1.0, 480)]
    [InlineData(2, -1.0, 60)] // jitter outside [0, 1] is clamped
    [InlineData(2, 7.0, 120)]
    public void The_wait_doubles_per_refusal_up_to_eight_times_the_base(int refusals, double jitter, double seconds)
    {
        Assert.Equal(seconds, StagingRecheck.Delay(TimeSpan.FromSeconds(30), refusals, jitter).TotalSeconds, 2);
    }

    [Fact]
    public void The_cap_is_what_the_longest_wait_is_built_from()
    {
        Assert.Equal(TimeSpan.FromSeconds(30) * (1 << StagingRecheck.MaxDoublings), StagingRecheck.Base(TimeSpan.FromSeconds(30), int.MaxValue));
    }
}
