using Microsoft.Extensions.Logging;

namespace NodeDaemon.Kubernetes.Tests;

/// <summary>Writes log lines to the test's output (and keeps them), so a failing test shows what the client saw.</summary>
internal sealed class TestLogger(ITestOutputHelper? output) : ILogger
{
    private readonly List<string> _lines = [];

    /// <summary>Every line logged so far.</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var line = $"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {eventId.Id} {formatter(state, exception)}";
        lock (_lines)
        {
            _lines.Add(line);
        }

        try
        {
            output?.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
            // The test already ended; a background loop still logs while it stops.
        }
    }
}
