using System.Globalization;
using System.Text;

namespace NodeDaemon.Metrics;

/// <summary>Writes the Prometheus text exposition format 0.0.4: HELP and TYPE lines, then samples with escaped labels.</summary>
/// <remarks>
/// Hand-written rather than prometheus-net or OpenTelemetry's exporter: measured in a Native AOT console app, the
/// first added 2.0 MB (and pulls Microsoft.Extensions.Http 3.1, whose version warnings are errors here), the second
/// 6.9 MB; both serve over HttpListener, which cannot listen on a unix socket. The format is a page of rules, and
/// the tests check this writer against the reference parser (python3-prometheus-client).
/// </remarks>
internal sealed class PrometheusTextWriter
{
    /// <summary>The Content-Type of this format.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly StringBuilder _text = new(4096);

    /// <summary>Starts the family <paramref name="name"/>: its HELP (escaped) and TYPE lines.</summary>
    public void Family(string name, string type, string help)
    {
        _text.Append("# HELP ").Append(name).Append(' ');
        foreach (var c in help)
        {
            // HELP escapes only the backslash and the newline; a quote stands as it is.
            _ = c switch
            {
                '\\' => _text.Append(@"\\"),
                '\n' => _text.Append(@"\n"),
                _ => _text.Append(c),
            };
        }

        _text.Append("\n# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
    }

    /// <summary>One sample line: <paramref name="name"/>, its labels in the order given, and <paramref name="value"/>.</summary>
    public void Sample(string name, double value, params ReadOnlySpan<(string Name, string Value)> labels)
    {
        _text.Append(name);
        if (labels.Length > 0)
        {
            _text.Append('{');
            for (var i = 0; i < labels.Length; i++)
            {
                if (i > 0)
                {
                    _text.Append(',');
                }

                _text.Append(labels[i].Name).Append("=\"");
                AppendLabelValue(labels[i].Value);
                _text.Append('"');
            }

            _text.Append('}');
        }

        _text.Append(' ').Append(Number(value)).Append('\n');
    }

    /// <summary>The text written so far.</summary>
    public override string ToString() => _text.ToString();

    /// <summary>A sample value or an <c>le</c> bound as the format spells it: shortest round-trip, <c>+Inf</c>, <c>-Inf</c>, <c>NaN</c>.</summary>
    public static string Number(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        double.NaN => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    private void AppendLabelValue(string value)
    {
        // Label values escape the backslash, the double quote and the newline; anything else is UTF-8 as it is.
        foreach (var c in value)
        {
            _ = c switch
            {
                '\\' => _text.Append(@"\\"),
                '"' => _text.Append("\\\""),
                '\n' => _text.Append(@"\n"),
                _ => _text.Append(c),
            };
        }
    }
}
