using NodeDaemon.Systemd;

namespace NodeDaemon.Tests.Systemd;

/// <summary>WATCHDOG_USEC and WATCHDOG_PID as sd_watchdog_enabled(3) reads them.</summary>
public sealed class WatchdogSettingsTests
{
    [Theory]
    [InlineData("180000000", null, 180.0)]
    [InlineData("180000000", "4242", 180.0)]
    [InlineData("180000000", "1", null)]
    [InlineData(null, null, null)]
    [InlineData("0", null, null)]
    [InlineData("-5", null, null)]
    [InlineData("3 minutes", null, null)]
    public void Reads_the_environment(string? usec, string? pid, double? expectedSeconds)
    {
        var variables = new Dictionary<string, string?> { ["WATCHDOG_USEC"] = usec, ["WATCHDOG_PID"] = pid };

        var settings = WatchdogSettings.FromEnvironment(name => variables.GetValueOrDefault(name), processId: 4242);

        Assert.Equal(expectedSeconds, settings.Timeout?.TotalSeconds);
        Assert.Equal((expectedSeconds ?? 0) / 2, settings.Interval.TotalSeconds);
    }
}
