using Serilog;
using Serilog.Events;

namespace NodeDaemon.Logging;

/// <summary>Configures the daemon's Serilog pipeline: journald when there is one, else <c>&lt;N&gt;</c> text on stderr.</summary>
public static class LoggingSetup
{
    /// <summary>
    /// Sets the minimum level from <paramref name="logLevel"/> (the value of <c>NODEDAEMON_LOG_LEVEL</c>),
    /// and writes to the journal socket when it exists, else to <paramref name="fallback"/> (stderr when null).
    /// </summary>
    public static LoggerConfiguration ConfigureNodeDaemon(
        this LoggerConfiguration config,
        string? logLevel = null,
        string? journalSocketPath = null,
        TextWriter? fallback = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.MinimumLevel.Is(ParseMinimumLevel(logLevel))
            // Framework chatter (one line per HTTP request of the watch) would drown the daemon's own story.
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .MinimumLevel.Override("System.Net.Http", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information)
            .Enrich.FromLogContext();

        string socketPath = journalSocketPath ?? JournaldSinkDefaults.SocketPath;
        // File.Exists is true for a socket too; without one (a container, a developer's shell) journald is not there to listen.
        if (File.Exists(socketPath))
        {
            return config.WriteTo.Sink(new JournaldSink(new JournaldSinkOptions { SocketPath = socketPath, Fallback = fallback }));
        }
        return fallback is null
            ? config.WriteTo.Console(new SyslogPrefixFormatter(), standardErrorFromLevel: LogEventLevel.Verbose)
            : config.WriteTo.Sink(new TextWriterSink(new SyslogPrefixFormatter(), fallback));
    }

    /// <summary>Debug for <c>debug</c> (any case), Verbose for <c>verbose</c>/<c>trace</c>, Information otherwise.</summary>
    public static LogEventLevel ParseMinimumLevel(string? logLevel) => logLevel?.Trim().ToUpperInvariant() switch
    {
        "DEBUG" => LogEventLevel.Debug,
        "VERBOSE" or "TRACE" => LogEventLevel.Verbose,
        _ => LogEventLevel.Information,
    };
}
