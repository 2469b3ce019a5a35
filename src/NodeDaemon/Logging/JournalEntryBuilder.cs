using System.Globalization;
using System.Text;
using Serilog.Events;
using Serilog.Formatting.Display;
using Serilog.Formatting.Json;

namespace NodeDaemon.Logging;

/// <summary>Turns a Serilog event into the fields of one journal entry.</summary>
internal static class JournalEntryBuilder
{
    private static readonly JsonValueFormatter _json = new(typeTagName: null);

    // ":lj" renders string properties without quotes, as a person reading journalctl expects.
    private static readonly MessageTemplateTextFormatter _message = new("{Message:lj}", CultureInfo.InvariantCulture);

    /// <summary>MESSAGE, PRIORITY, SYSLOG_IDENTIFIER, the exception type, then one field per property.</summary>
    public static List<JournalField> Build(LogEvent logEvent, JournaldSinkOptions options)
    {
        var fields = new List<JournalField>(4 + logEvent.Properties.Count)
        {
            Field("MESSAGE", RenderMessage(logEvent)),
            Field("PRIORITY", SyslogPriority.From(logEvent.Level).ToString(CultureInfo.InvariantCulture)),
            Field("SYSLOG_IDENTIFIER", options.SyslogIdentifier),
        };
        if (logEvent.Exception is { } exception)
        {
            fields.Add(Field(options.FieldPrefix + "EXCEPTION_TYPE", exception.GetType().FullName ?? exception.GetType().Name));
        }
        foreach (var (name, value) in logEvent.Properties)
        {
            // Microsoft.Extensions.Logging's EventId arrives as { Id, Name }: two flat fields query better than JSON.
            if (name == "EventId" && value is StructureValue eventId)
            {
                foreach (var part in eventId.Properties)
                {
                    fields.Add(Field(JournalFieldName.FromProperty(options.FieldPrefix, "Event" + part.Name), Render(part.Value)));
                }
                continue;
            }
            fields.Add(Field(JournalFieldName.FromProperty(options.FieldPrefix, name), Render(value)));
        }
        return fields;
    }

    /// <summary>A property value as text: scalars invariant and unquoted, anything structured as JSON.</summary>
    public static string Render(LogEventPropertyValue value) => value switch
    {
        ScalarValue { Value: null } => "",
        ScalarValue { Value: string s } => s,
        ScalarValue { Value: bool b } => b ? "true" : "false",
        ScalarValue { Value: DateTime d } => d.ToString("O", CultureInfo.InvariantCulture),
        ScalarValue { Value: DateTimeOffset d } => d.ToString("O", CultureInfo.InvariantCulture),
        ScalarValue { Value: IFormattable f } => f.ToString(null, CultureInfo.InvariantCulture),
        ScalarValue s => Convert.ToString(s.Value, CultureInfo.InvariantCulture) ?? "",
        _ => Json(value),
    };

    private static string RenderMessage(LogEvent logEvent)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        _message.Format(logEvent, writer);
        if (logEvent.Exception is { } exception)
        {
            writer.Write('\n');
            writer.Write(exception.ToString());
        }
        return writer.ToString();
    }

    private static string Json(LogEventPropertyValue value)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        _json.Format(value, writer);
        return writer.ToString();
    }

    private static JournalField Field(string name, string value) => new(name, Encoding.UTF8.GetBytes(value));
}
