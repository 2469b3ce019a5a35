using NodeDaemon.Core.Agent;

namespace NodeDaemon.Core.Tests.Agent;

/// <summary>How long ago a noted instant was, as a table: the boot's monotonic clock within a boot, a clamped wall clock otherwise.</summary>
public sealed class MomentTests
{
    private static readonly DateTimeOffset s_now = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan s_uptime = TimeSpan.FromHours(5);

    /// <summary>One row: the noted instant and what has passed since.</summary>
    public sealed record Row(string Name, Moment Then, TimeSpan Expected)
    {
        public override string ToString() => Name;
    }

    private static readonly Row[] s_rows =
    [
        new("same boot, clocks agree", new(s_now.AddMinutes(-10), "boot-1", s_uptime - TimeSpan.FromMinutes(10)), TimeSpan.FromMinutes(10)),
        new("same boot, wall clock stepped back an hour since: the boot's clock answers",
            new(s_now.AddMinutes(-10).AddHours(1), "boot-1", s_uptime - TimeSpan.FromMinutes(10)), TimeSpan.FromMinutes(10)),
        new("same boot, wall clock stepped forward a day since: the boot's clock answers",
            new(s_now.AddMinutes(-10).AddDays(-1), "boot-1", s_uptime - TimeSpan.FromMinutes(10)), TimeSpan.FromMinutes(10)),
        new("same boot, a monotonic reading from its future (a hand-edited file): long past",
            new(s_now, "boot-1", s_uptime + TimeSpan.FromMinutes(1)), TimeSpan.MaxValue),
        new("another boot: the wall clock answers", new(s_now.AddMinutes(-30), "boot-0", TimeSpan.FromDays(3)), TimeSpan.FromMinutes(30)),
        new("another boot, an instant from the wall clock's future: long past", new(s_now.AddHours(1), "boot-0", TimeSpan.Zero), TimeSpan.MaxValue),
        new("wall clock only (older notes): the wall clock answers", Moment.WallOnly(s_now.AddMinutes(-3)), TimeSpan.FromMinutes(3)),
    ];

    /// <summary>The rows, by name.</summary>
    public static TheoryData<string> Names() => [.. s_rows.Select(r => r.Name)];

    [Theory]
    [MemberData(nameof(Names))]
    public void Measures(string name)
    {
        var row = s_rows.Single(r => r.Name == name);

        Assert.Equal(row.Expected, row.Then.ElapsedTo(s_now, "boot-1", s_uptime));
    }

    [Fact]
    public void Without_a_monotonic_reading_now_the_wall_clock_answers()
    {
        var then = new Moment(s_now.AddMinutes(-7), "boot-1", s_uptime - TimeSpan.FromHours(2));

        Assert.Equal(TimeSpan.FromMinutes(7), then.ElapsedTo(s_now, "boot-1", nowMonotonic: null));
    }
}
