using NodeDaemon.Sim.Harness;
using NodeDaemon.Tests.Shared;

namespace NodeDaemon.Sim.Tests.Harness;

/// <summary>The runner reads the shipped unit, with systemd's defaults for what it leaves out and systemd's Restart= table.</summary>
public sealed class SystemdUnitTests
{
    [Fact]
    public void The_shipped_unit_is_read_with_systemd_defaults_for_what_it_leaves_out()
    {
        var text = File.ReadAllLines(Path.Combine(RepositoryPaths.Root, SystemdUnit.ShippedPath));
        var unit = SystemdUnit.LoadShipped(RepositoryPaths.Root);

        // Whatever the file says today: the values come from it, not from this test.
        Assert.Equal(Span(text, "WatchdogSec"), unit.WatchdogSec);
        Assert.Equal(text.Single(l => l.StartsWith("Restart=", StringComparison.Ordinal))["Restart=".Length..], unit.Restart);
        Assert.Equal(Span(text, "RestartSec"), unit.RestartSec);
        // Not in the file: DefaultTimeoutStopSec=90s, TimeoutAbortSec= follows it, WatchdogSignal=SIGABRT.
        Assert.DoesNotContain(text, l => l.StartsWith("TimeoutStopSec=", StringComparison.Ordinal) || l.StartsWith("WatchdogSignal=", StringComparison.Ordinal));
        Assert.Equal(TimeSpan.FromSeconds(90), unit.TimeoutStopSec);
        Assert.Equal(unit.TimeoutStopSec, unit.TimeoutAbortSec);
        Assert.Equal("ABRT", unit.WatchdogSignal);
    }

    [Fact]
    public void Scaling_shrinks_every_duration_and_keeps_the_burst()
    {
        var unit = SystemdUnit.Parse(["[Unit]", "StartLimitBurst=3", "[Service]", "WatchdogSec=3min", "RestartSec=10s", "TimeoutStopSec=1min 30s"]).Scaled(0.01);

        Assert.Equal(TimeSpan.FromSeconds(1.8), unit.WatchdogSec);
        Assert.Equal(TimeSpan.FromSeconds(0.1), unit.RestartSec);
        Assert.Equal(TimeSpan.FromSeconds(0.9), unit.TimeoutStopSec);
        Assert.Equal(TimeSpan.FromSeconds(0.1), unit.StartLimitIntervalSec);
        Assert.Equal(3, unit.StartLimitBurst);
    }

    [Theory]
    [InlineData("on-failure", "success", false)]
    [InlineData("on-failure", "exit-code", true)]
    [InlineData("on-failure", "signal", true)]
    [InlineData("on-failure", "watchdog", true)]
    [InlineData("on-failure", "timeout", true)]
    [InlineData("on-abnormal", "exit-code", false)]
    [InlineData("on-abnormal", "watchdog", true)]
    [InlineData("on-watchdog", "signal", false)]
    [InlineData("no", "watchdog", false)]
    [InlineData("always", "success", true)]
    public void Restart_follows_systemds_table(string restart, string result, bool restarts) =>
        Assert.Equal(restarts, SystemdUnit.Parse(["[Service]", "Restart=" + restart]).Restarts(result));

    [Theory]
    [InlineData("3min", 180)]
    [InlineData("10s", 10)]
    [InlineData("5min 20s", 320)]
    [InlineData("100ms", 0.1)]
    [InlineData("90", 90)]
    [InlineData("1h", 3600)]
    public void Time_spans_read_as_systemd_writes_them(string text, double seconds)
    {
        Assert.True(SystemdTimeSpan.TryParse(text, out var span));
        Assert.Equal(TimeSpan.FromSeconds(seconds), span);
    }

    [Theory]
    [InlineData("")]
    [InlineData("3 fortnights")]
    [InlineData("s")]
    public void Bad_time_spans_are_refused(string text) => Assert.False(SystemdTimeSpan.TryParse(text, out _));

    private static TimeSpan Span(string[] lines, string key)
    {
        Assert.True(SystemdTimeSpan.TryParse(lines.Single(l => l.StartsWith(key + "=", StringComparison.Ordinal))[(key.Length + 1)..], out var span));
        return span;
    }
}
