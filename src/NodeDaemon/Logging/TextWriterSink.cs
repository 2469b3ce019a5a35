using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;

namespace NodeDaemon.Logging;

/// <summary>Writes formatted events to a TextWriter; Serilog 4 core no longer ships one and the console sink cannot take a writer.</summary>
internal sealed class TextWriterSink(ITextFormatter formatter, TextWriter output) : ILogEventSink
{
    private readonly Lock _lock = new();

    /// <inheritdoc />
    public void Emit(LogEvent logEvent)
    {
        lock (_lock)
        {
            formatter.Format(logEvent, output);
            output.Flush();
        }
    }
}
