using Microsoft.Extensions.Logging;

namespace NodeDaemon.Sim.KubeApi;

/// <summary>Reads Kestrel's own log for why connections ended abnormally and counts each reason in
/// <see cref="ConnectionCounter.Ends"/>: which side broke a connection (the client reset or closed it, or Kestrel
/// enforced one of its limits) is otherwise invisible, since both ends are in one process and neither says.</summary>
/// <remarks>Kestrel names each event (<c>RequestProcessingError</c>, <c>Http2ConnectionError</c>,
/// <c>RequestBodyMinimumDataRateNotSatisfied</c>, <c>ResponseMinimumDataRateNotSatisfied</c>, <c>ConnectionBadRequest</c>,
/// <c>ConnectionReset</c>, and the TLS handshake's <c>AuthenticationTimedOut</c> and <c>AuthenticationFailed</c>); a reason is that name and the exception's type and message, so a limit Kestrel enforces
/// and kube-apiserver does not shows up by name.</remarks>
internal sealed class KestrelConnectionLog(ConnectionCounter connections) : ILoggerProvider
{
    /// <summary>The events that end a connection, or say why it ended; Kestrel's per-request and per-frame events are ignored.</summary>
    private static readonly HashSet<string> Ending = new(StringComparer.Ordinal)
    {
        "RequestProcessingError", "Http2ConnectionError", "RequestBodyMinimumDataRateNotSatisfied",
        "ResponseMinimumDataRateNotSatisfied", "ConnectionBadRequest", "ConnectionReset", "Http2StreamError",
        "HPackDecodingError", "Http2MaxConcurrentStreamsReached", "ConnectionRejected", "ApplicationAbortedConnection",
        "AuthenticationFailed", "AuthenticationTimedOut",
    };

    /// <summary>The categories Kestrel writes connection events under.</summary>
    public const string Category = "Microsoft.AspNetCore.Server.Kestrel";

    public ILogger CreateLogger(string categoryName) =>
        categoryName.StartsWith(Category, StringComparison.Ordinal) ? new Logger(connections) : NullLogger.Instance;

    public void Dispose()
    {
    }

    /// <summary>Counts the ending events of one category.</summary>
    private sealed class Logger(ConnectionCounter connections) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Name is not { } name || !Ending.Contains(name))
            {
                return;
            }

            connections.Ended(exception is null ? name : $"{name}: {exception.GetType().Name}: {FirstLine(exception.Message)}");
        }

        private static string FirstLine(string message)
        {
            var end = message.IndexOfAny(['\r', '\n']);
            var line = end < 0 ? message : message[..end];
            return line.Length > 160 ? line[..160] : line;
        }
    }

    /// <summary>A logger that takes nothing: every category but Kestrel's.</summary>
    private sealed class NullLogger : ILogger
    {
        public static readonly NullLogger Instance = new();

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => false;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
        }
    }
}
