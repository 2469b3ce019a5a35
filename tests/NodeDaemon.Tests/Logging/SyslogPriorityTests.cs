using NodeDaemon.Logging;
using Serilog.Events;

namespace NodeDaemon.Tests.Logging;

public class SyslogPriorityTests
{
    [Theory]
    [InlineData(LogEventLevel.Verbose, 7)]
    [InlineData(LogEventLevel.Debug, 7)]
    [InlineData(LogEventLevel.Information, 6)]
    [InlineData(LogEventLevel.Warning, 4)]
    [InlineData(LogEventLevel.Error, 3)]
    [InlineData(LogEventLevel.Fatal, 2)]
    public void Maps_serilog_levels_to_syslog_priorities(LogEventLevel level, int priority) =>
        Assert.Equal(priority, SyslogPriority.From(level));
}
