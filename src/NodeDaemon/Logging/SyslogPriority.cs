using Serilog.Events;

namespace NodeDaemon.Logging;

/// <summary>Maps Serilog levels onto syslog priorities, the <c>PRIORITY</c> field and the <c>&lt;N&gt;</c> prefix.</summary>
public static class SyslogPriority
{
    /// <summary>The syslog priority (2 crit … 7 debug) of a Serilog level.</summary>
    public static int From(LogEventLevel level) => level switch
    {
        LogEventLevel.Fatal => 2,
        LogEventLevel.Error => 3,
        LogEventLevel.Warning => 4,
        LogEventLevel.Information => 6,
        // Verbose and Debug both land on LOG_DEBUG: syslog has nothing below it.
        _ => 7,
    };
}
