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
