using NodeDaemon.Core.Maintenance;

namespace NodeDaemon.Core.Tests.Maintenance;

/// <summary>The "opens ..., in ..." part of the waiting message: coarse, rounded up, on the zone's clock.</summary>
public sealed class OpeningTextTests
{
    [Theory]
    [InlineData(0, "now")]
    [InlineData(30, "in 1 min")]
    [InlineData(12 * 60, "in 12 min")]
    [InlineData(60 * 60, "in 1 h")]
    [InlineData((3 * 3600) + (9 * 60) + 30, "in 3 h 10 min")]
    [InlineData((23 * 3600) + (55 * 60), "in 1 d")]
    [InlineData((2 * 86400) + (4 * 3600) + 1, "in 2 d 5 h")]
    public void Rounds_the_wait_up_coarsely(int seconds, string expected) =>
        Assert.Equal(expected, OpeningText.Until(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void Names_the_weekday_and_wall_time_in_the_zone()
    {
        var opening = new DateTimeOffset(2026, 11, 28, 22, 30, 0, TimeSpan.FromHours(1));
        var now = opening - TimeSpan.FromMinutes(190);

        Assert.Equal("opens Sat 22:30 Europe/Berlin, in 3 h 10 min", OpeningText.Describe(opening, "Europe/Berlin", now));
    }
}
