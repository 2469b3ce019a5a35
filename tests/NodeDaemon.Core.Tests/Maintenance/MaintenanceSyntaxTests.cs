using NodeDaemon.Core.Maintenance;

namespace NodeDaemon.Core.Tests.Maintenance;

/// <summary>Day names and start times as admins write them.</summary>
public sealed class MaintenanceSyntaxTests
{
    [Theory]
    [InlineData("Mon", DayOfWeek.Monday)]
    [InlineData("tue", DayOfWeek.Tuesday)]
    [InlineData("WEDNESDAY", DayOfWeek.Wednesday)]
    [InlineData("Thursday", DayOfWeek.Thursday)]
    [InlineData(" fri ", DayOfWeek.Friday)]
    [InlineData("saturday", DayOfWeek.Saturday)]
    [InlineData("Sun", DayOfWeek.Sunday)]
    public void Reads_short_and_full_day_names_ignoring_case(string text, DayOfWeek day)
    {
        Assert.True(MaintenanceSyntax.TryParseDay(text, out var parsed));
        Assert.Equal(day, parsed);
    }

    [Theory]
    [InlineData("Sa")]
    [InlineData("Samstag")]
    [InlineData("6")]
    [InlineData("")]
    [InlineData(null)]
    public void Refuses_other_day_names(string? text) => Assert.False(MaintenanceSyntax.TryParseDay(text, out _));

    [Theory]
    [InlineData("22:30", 22, 30)]
    [InlineData("0:00", 0, 0)]
    [InlineData("07:05", 7, 5)]
    [InlineData("23:59", 23, 59)]
    public void Reads_24_hour_times(string text, int hour, int minute)
    {
        Assert.True(MaintenanceSyntax.TryParseStart(text, out var start));
        Assert.Equal(new TimeOnly(hour, minute), start);
    }

    [Theory]
    [InlineData("24:00")]
    [InlineData("22:60")]
    [InlineData("10pm")]
    [InlineData("22:30:00")]
    [InlineData("2230")]
    [InlineData(":30")]
    [InlineData("+1:30")]
    [InlineData("")]
    public void Refuses_other_times(string text) => Assert.False(MaintenanceSyntax.TryParseStart(text, out _));
}
