using System.Text.Json;
using System.Text.RegularExpressions;

namespace NodeDaemon.Core.Text;

/// <summary>Reads JSON strings from documents nobody here wrote, never throwing on what the JSON grammar allows.</summary>
/// <remarks>
/// JSON lets a string carry a lone surrogate escape (<c>"\ud800"</c>), which System.Text.Json refuses to turn into a
/// .NET string (InvalidOperationException). Go's encoding/json, which wrote every Kubernetes object, reads such an escape
/// as U+FFFD; so does this, so a hostile or broken document reads as text instead of ending the process.
/// </remarks>
public static partial class JsonText
{
    /// <summary>The string value of <paramref name="element"/>; null when it is not a JSON string.</summary>
    public static string? StringOf(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        try
        {
            return element.GetString();
        }
        catch (InvalidOperationException)
        {
            return Repaired(element.GetRawText());
        }
    }

    /// <summary>
    /// <paramref name="json"/> with every surrogate escape that is not half of a pair (<c>\ud800</c> alone) written as
    /// <c>\uFFFD</c>; pairs and everything else are kept byte for byte. Run on a document before it is parsed, so no
    /// later read or write of it can throw.
    /// </summary>
    public static string RepairSurrogateEscapes(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (!json.Contains("\\u", StringComparison.Ordinal))
        {
            return json;
        }

        var builder = new System.Text.StringBuilder(json.Length);
        for (var i = 0; i < json.Length; i++)
        {
            if (json[i] != '\\' || i + 1 >= json.Length)
            {
                builder.Append(json[i]);
                continue;
            }

            if (json[i + 1] != 'u' || Escaped(json, i) is not { } unit)
            {
                // Another escape (\\, \", \n...): both characters as they are.
                builder.Append(json, i, 2);
                i++;
                continue;
            }

            var pairs = char.IsHighSurrogate(unit) && Escaped(json, i + 6) is { } low && char.IsLowSurrogate(low);
            if (pairs)
            {
                builder.Append(json, i, 12);
                i += 11;
            }
            else
            {
                builder.Append(char.IsSurrogate(unit) ? "\\uFFFD" : json.Substring(i, 6));
                i += 5;
            }
        }

        return builder.ToString();
    }

    // The UTF-16 unit of the \uXXXX escape at index, or null when there is none there.
    private static char? Escaped(string json, int index) =>
        index + 6 <= json.Length && json[index] == '\\' && json[index + 1] == 'u'
        && ushort.TryParse(json.AsSpan(index + 2, 4), System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out var unit)
            ? (char)unit
            : null;

    /// <summary>The name of <paramref name="property"/>, with lone surrogate escapes read as U+FFFD.</summary>
    public static string NameOf(JsonProperty property)
    {
        try
        {
            return property.Name;
        }
        catch (InvalidOperationException)
        {
            // The property's raw text is "name": value; the reader hands the name back still escaped.
            var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes("{" + property.ToString() + "}"));
            reader.Read();
            reader.Read();
            return Repaired("\"" + System.Text.Encoding.UTF8.GetString(reader.ValueSpan) + "\"");
        }
    }

    // Every surrogate escape becomes \uFFFD (a valid pair too: this runs only for strings that are already broken).
    private static string Repaired(string quoted)
    {
        using var document = JsonDocument.Parse(SurrogateEscape().Replace(quoted, "$1\\uFFFD"));
        return document.RootElement.GetString() ?? "";
    }

    // An escape is one preceded by an odd number of backslashes: the group keeps the escaped backslashes before it.
    [GeneratedRegex(@"(?<!\\)((?:\\\\)*)\\u[dD][89a-fA-F][0-9a-fA-F]{2}", RegexOptions.CultureInvariant)]
    private static partial Regex SurrogateEscape();
}
