using System.Globalization;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Display;

namespace NodeDaemon.Logging;

/// <summary>Formats an event as one <c>&lt;N&gt;message</c> line, the sd-daemon(3) form systemd reads from stderr.</summary>
/// <remarks>
/// The priority is written here rather than enriched as a property, so it does not also turn
/// into a journald field; the rest is Serilog's own template rendering.
/// </remarks>
public sealed class SyslogPrefixFormatter : ITextFormatter
{
    private readonly MessageTemplateTextFormatter _inner =
        new("{Message:lj}{NewLine}{Exception}", CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public void Format(LogEvent logEvent, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        ArgumentNullException.ThrowIfNull(output);
        output.Write('<');
        output.Write(SyslogPriority.From(logEvent.Level).ToString(CultureInfo.InvariantCulture));
        output.Write('>');
        _inner.Format(logEvent, output);
    }
}
