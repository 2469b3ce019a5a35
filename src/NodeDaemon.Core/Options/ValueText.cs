using System.Globalization;
using System.Text;

namespace NodeDaemon.Core.Options;

/// <summary>Renders configuration values for one-line error messages.</summary>
internal static class ValueText
{
    /// <summary>Longest value echoed whole; a pasted certificate or token must not flood the journal.</summary>
    public const int MaxEchoed = 100;

    /// <summary>The value in double quotes, escaped to stay on one line and shortened when long.</summary>
    public static string Quote(string? value)
    {
        if (value is null)
        {
            return "null";
        }

        var shown = value.Length > MaxEchoed ? value[..MaxEchoed] : value;
        var builder = new StringBuilder(shown.Length + 24).Append('"');
        foreach (var c in shown)
        {
            _ = c switch
            {
                '"' => builder.Append("\\\""),
                '\\' => builder.Append("\\\\"),
                '\n' => builder.Append("\\n"),
                '\r' => builder.Append("\\r"),
                '\t' => builder.Append("\\t"),
                _ when char.IsControl(c) => builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                _ => builder.Append(c),
            };
        }

        builder.Append('"');
        if (value.Length > MaxEchoed)
        {
            builder.Append(CultureInfo.InvariantCulture, $"... ({value.Length} characters)");
        }

        return builder.ToString();
    }

    /// <summary>A duration as the seconds an admin would have written.</summary>
    public static string Seconds(TimeSpan value) => value.TotalSeconds.ToString(CultureInfo.InvariantCulture);

    /// <summary>An integer as written in the configuration.</summary>
    public static string Integer(long value) => value.ToString(CultureInfo.InvariantCulture);
}
