using NodeDaemon.Core.Maintenance;
using NodeDaemon.Core.Options;

namespace NodeDaemon.Core.Tests.Maintenance;

/// <summary>When windows are open: every day, some days, past midnight, across DST in Europe/Berlin, and the next opening.</summary>
public sealed class MaintenanceScheduleTests
{
    private static MaintenanceSchedule Schedule(string zone, params (string[] Days, string Start, int Minutes)[] windows) =>
        MaintenanceSchedule.From(new MaintenanceOptions
        {
            TimeZone = zone,
            Windows = [.. windows.Select(w => new MaintenanceWindowOptions { Days = w.Days, Start = w.Start, LengthMinutes = w.Minutes })],
        });

    private static DateTimeOffset At(string iso) => DateTimeOffset.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void Europe_Berlin_resolves_from_the_system_tzdata_without_ICU()
    {
        Assert.True(MaintenanceSchedule.TryFindTimeZone("Europe/Berlin", out var berlin));
        Assert.Equal(TimeSpan.FromHours(1), berlin.GetUtcOffset(At("2026-01-15T12:00:00Z")));
        Assert.Equal(TimeSpan.FromHours(2), berlin.GetUtcOffset(At("2026-07-15T12:00:00Z")));
        Assert.True(MaintenanceSchedule.TryFindTimeZone("UTC", out _));
    }

    [Theory]
    [InlineData("Mars/Olympus_Mons")]
    [InlineData("")]
    [InlineData("europe/berlin_typo")]
    [InlineData("../../etc/passwd")]
    public void Unknown_time_zones_are_not_found(string id) => Assert.False(MaintenanceSchedule.TryFindTimeZone(id, out _));

    [Fact]
    public void No_windows_is_always_open_and_has_no_next_opening()
    {
        var schedule = Schedule("UTC");

        Assert.True(schedule.IsAlwaysOpen);
        Assert.True(schedule.IsOpen(At("2026-11-25T03:00:00Z")));
        Assert.Null(schedule.NextOpening(At("2026-11-25T03:00:00Z")));
        Assert.True(MaintenanceSchedule.Always.IsOpen(DateTimeOffset.MinValue.AddDays(10)));
    }

    [Theory]
    [InlineData("2026-11-25T22:29:59Z", false)]
    [InlineData("2026-11-25T22:30:00Z", true)]
    [InlineData("2026-11-25T23:59:00Z", true)]
    [InlineData("2026-11-26T00:29:59Z", true)]
    [InlineData("2026-11-26T00:30:00Z", false)]
    [InlineData("2026-11-26T12:00:00Z", false)]
    public void An_every_day_window_opens_at_its_start_and_closes_after_its_length(string now, bool open) =>
        Assert.Equal(open, Schedule("UTC", ([], "22:30", 120)).IsOpen(At(now)));

    [Theory]
    [InlineData("2026-11-27T22:30:00Z", false)] // Fri
    [InlineData("2026-11-28T22:30:00Z", true)]  // Sat
    [InlineData("2026-11-29T00:15:00Z", true)]  // Sun, still Saturday's window
    [InlineData("2026-11-29T22:45:00Z", true)]  // Sun
    [InlineData("2026-11-30T00:15:00Z", true)]  // Mon, still Sunday's window
    [InlineData("2026-11-30T22:30:00Z", false)] // Mon
    public void A_weekend_window_opens_on_its_days_only(string now, bool open) =>
        Assert.Equal(open, Schedule("UTC", (["Sat", "sunday"], "22:30", 120)).IsOpen(At(now)));

    [Theory]
    [InlineData("2026-11-28T22:59:00+01:00", false)]
    [InlineData("2026-11-28T23:00:00+01:00", true)]
    [InlineData("2026-11-29T01:59:00+01:00", true)]
    [InlineData("2026-11-29T02:00:00+01:00", false)]
    [InlineData("2026-11-29T23:30:00+01:00", false)] // Sunday has no window of its own
    public void A_window_crossing_midnight_belongs_to_the_day_it_starts(string now, bool open) =>
        Assert.Equal(open, Schedule("Europe/Berlin", (["Sat"], "23:00", 180)).IsOpen(At(now)));

    [Fact]
    public void A_start_skipped_by_spring_forward_opens_at_the_instant_it_would_have_been_and_lasts_its_length()
    {
        // 2026-03-29 in Berlin: 02:00 CET jumps to 03:00 CEST, so 02:30 does not exist that night.
        var schedule = Schedule("Europe/Berlin", ([], "02:30", 60));

        Assert.Equal(At("2026-03-29T03:30:00+02:00"), schedule.NextOpening(At("2026-03-29T00:00:00+01:00")));
        Assert.False(schedule.IsOpen(At("2026-03-29T03:29:00+02:00")));
        Assert.True(schedule.IsOpen(At("2026-03-29T03:30:00+02:00")));
        Assert.True(schedule.IsOpen(At("2026-03-29T04:29:00+02:00")));
        Assert.False(schedule.IsOpen(At("2026-03-29T04:30:00+02:00")));
        // The next night is an ordinary one again.
        Assert.Equal(At("2026-03-30T02:30:00+02:00"), schedule.NextOpening(At("2026-03-29T04:30:00+02:00")));
    }

    [Fact]
    public void A_window_spanning_spring_forward_lasts_its_length_in_real_minutes()
    {
        var schedule = Schedule("Europe/Berlin", (["Sun"], "01:00", 180));

        Assert.True(schedule.IsOpen(At("2026-03-29T01:00:00+01:00")));
        Assert.True(schedule.IsOpen(At("2026-03-29T04:59:00+02:00")));  // 3 h of real time end at 05:00 on the summer clock
        Assert.False(schedule.IsOpen(At("2026-03-29T05:00:00+02:00")));
    }

    [Fact]
    public void A_start_shown_twice_by_fall_back_opens_once_at_the_first()
    {
        // 2026-10-25 in Berlin: 03:00 CEST falls back to 02:00 CET, so 02:30 happens twice.
        var schedule = Schedule("Europe/Berlin", ([], "02:30", 60));

        var opening = schedule.NextOpening(At("2026-10-25T00:00:00+02:00"));
        Assert.Equal(At("2026-10-25T02:30:00+02:00"), opening);
        Assert.Equal(TimeSpan.FromHours(2), opening!.Value.Offset);
        Assert.True(schedule.IsOpen(At("2026-10-25T02:59:00+02:00")));
        Assert.True(schedule.IsOpen(At("2026-10-25T02:29:00+01:00"))); // 60 real minutes end at the second 02:30
        Assert.False(schedule.IsOpen(At("2026-10-25T02:30:00+01:00")));
        Assert.Equal(At("2026-10-26T02:30:00+01:00"), schedule.NextOpening(At("2026-10-25T02:30:00+01:00")));
    }

    [Fact]
    public void The_next_opening_may_be_almost_a_week_away_and_is_given_on_the_zone_clock()
    {
        var schedule = Schedule("Europe/Berlin", (["Sat"], "22:30", 120));

        // Sunday 01:00: Saturday's window closed at 00:30.
        var next = schedule.NextOpening(At("2026-11-29T01:00:00+01:00"));

        Assert.Equal(At("2026-12-05T22:30:00+01:00"), next);
        Assert.Equal(TimeSpan.FromHours(1), next!.Value.Offset);
        Assert.Equal(DayOfWeek.Saturday, next.Value.DayOfWeek);
    }

    [Fact]
    public void The_next_opening_is_the_earliest_of_several_windows()
    {
        var schedule = Schedule("UTC", (["Sat"], "22:30", 60), (["Tue", "Thu"], "03:00", 30));

        Assert.Equal(At("2026-11-26T03:00:00Z"), schedule.NextOpening(At("2026-11-25T12:00:00Z")));
        Assert.Equal(At("2026-11-28T22:30:00Z"), schedule.NextOpening(At("2026-11-26T03:00:00Z")));
    }

    [Fact]
    public void A_week_long_window_on_one_day_is_open_all_week_but_its_last_minute()
    {
        var schedule = Schedule("UTC", (["Mon"], "00:00", 10080));

        Assert.True(schedule.IsOpen(At("2026-11-29T23:59:59Z")));
        Assert.True(schedule.IsOpen(At("2026-11-30T00:00:00Z")));
        Assert.Equal(At("2026-11-30T00:00:00Z"), schedule.NextOpening(At("2026-11-25T12:00:00Z")));
    }

    [Fact]
    public void Invalid_options_are_refused_when_building_the_schedule()
    {
        Assert.Throws<InvalidOperationException>(() => Schedule("Nowhere/Atlantis"));
        Assert.Throws<InvalidOperationException>(() => Schedule("UTC", (["Caturday"], "22:30", 60)));
        Assert.Throws<InvalidOperationException>(() => Schedule("UTC", ([], "25:00", 60)));
    }
}
