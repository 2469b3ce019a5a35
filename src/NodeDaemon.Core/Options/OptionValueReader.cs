using System.Globalization;
using System.Text.Json;

namespace NodeDaemon.Core.Options;

/// <summary>Converts a JSON value or an environment variable's text to a key's type, or says what was expected.</summary>
internal static class OptionValueReader
{
    // TimeSpan.FromSeconds throws beyond about 29,000 years; anything that large is a typo anyway.
    private static readonly double _maxSeconds = Math.Floor(TimeSpan.MaxValue.TotalSeconds) - 1;

    /// <summary>Converts a JSON value; on failure <paramref name="problem"/> says what was wrong, e.g. <c>must be an integer, got "8"</c>.</summary>
    public static bool TryRead(OptionKey key, JsonElement element, out object? value, out string problem)
    {
        var expected = Expected(key);
        if (TryRead(key, element, out value, ref expected, out var detail))
        {
            problem = "";
            return true;
        }

        problem = detail ?? $"must be {expected}, got {Describe(element)}";
        return false;
    }

    /// <summary>Converts an environment variable's text; on failure <paramref name="problem"/> says what was wrong.</summary>
    public static bool TryParse(OptionKey key, string text, out object? value, out string problem)
    {
        var expected = Expected(key);
        if (TryParse(key, text, out value, ref expected, out var detail))
        {
            problem = "";
            return true;
        }

        problem = detail ?? $"must be {expected}, got {ValueText.Quote(text)}";
        return false;
    }

    // detail, when set, replaces the whole "must be ..., got ..." (a list of windows names the item at fault).
    private static bool TryRead(OptionKey key, JsonElement element, out object? value, ref string expected, out string? detail)
    {
        value = null;
        detail = null;
        switch (key.Kind)
        {
            case OptionKind.Boolean when element.ValueKind is JsonValueKind.True or JsonValueKind.False:
                value = element.GetBoolean();
                return true;
            case OptionKind.Integer when element.ValueKind == JsonValueKind.Number:
                return TryReadInteger(element, ref value, ref expected);
            case OptionKind.Text when element.ValueKind == JsonValueKind.String:
                value = element.GetString();
                return true;
            case OptionKind.Seconds or OptionKind.OptionalSeconds when element.ValueKind == JsonValueKind.Number:
                // A number past double's range (1e400) is no number of seconds either.
                return element.TryGetDouble(out var seconds) && TrySeconds(seconds, out value);
            case OptionKind.OptionalSeconds when element.ValueKind == JsonValueKind.Null:
                return true;
            case OptionKind.IntegerOrText when element.ValueKind == JsonValueKind.String:
                value = element.GetString();
                return true;
            case OptionKind.IntegerOrText when element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out var count):
                value = ValueText.Integer(count);
                return true;
            case OptionKind.Choice when element.ValueKind == JsonValueKind.String:
                return TryChoose(key, element.GetString()!, out value);
            case OptionKind.WindowList when element.ValueKind == JsonValueKind.Array:
                return TryReadWindows(element, out value, out detail);
            case OptionKind.ImagePrefixList when element.ValueKind == JsonValueKind.Array:
                return ImagePrefixListText.TryRead(element, out value, out detail);
            case OptionKind.TextList when element.ValueKind == JsonValueKind.Array:
                return TextListText.TryRead(element, out value, out detail);
            default:
                return false;
        }
    }

    private static bool TryParse(OptionKey key, string text, out object? value, ref string expected, out string? detail)
    {
        value = null;
        detail = null;
        var trimmed = text.Trim();
        switch (key.Kind)
        {
            case OptionKind.Boolean when bool.TryParse(trimmed, out var flag):
                value = flag;
                return true;
            case OptionKind.Integer when int.TryParse(trimmed, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number):
                value = number;
                return true;
            case OptionKind.Text or OptionKind.IntegerOrText:
                // Strings are taken verbatim: an empty NODEDAEMON_AUTH_FILE= is how to turn the auth file off.
                value = text;
                return true;
            case OptionKind.OptionalSeconds when trimmed.Length == 0 || trimmed.Equals("null", StringComparison.OrdinalIgnoreCase):
                return true;
            case OptionKind.Seconds or OptionKind.OptionalSeconds
                when double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds):
                return TrySeconds(seconds, out value);
            case OptionKind.Choice:
                return TryChoose(key, trimmed, out value);
            case OptionKind.WindowList when trimmed.Length == 0:
                // Like an empty string key: NODEDAEMON_MAINTENANCE__WINDOWS= clears the windows a file set.
                value = (IReadOnlyList<MaintenanceWindowOptions>)[];
                return true;
            case OptionKind.WindowList:
                return TryParseWindows(trimmed, out value, ref expected, out detail);
            case OptionKind.ImagePrefixList:
                return ImagePrefixListText.TryParse(trimmed, out value, out detail);
            case OptionKind.TextList:
                return TextListText.TryParse(trimmed, out value, out detail);
            default:
                return false;
        }
    }

    /// <summary>A JSON value as a message shows it after "got": strings quoted and shortened, containers by kind.</summary>
    public static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => ValueText.Quote(Text.JsonText.StringOf(element)),
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.Number => Shorten(element.GetRawText()),
        _ => element.GetRawText(),
    };

    private static bool TryReadWindows(JsonElement element, out object? value, out string? detail)
    {
        var ok = MaintenanceWindowsJson.TryRead(element, out var windows, out var problem);
        value = ok ? windows : null;
        detail = problem is null ? null : $"must be {MaintenanceWindowsJson.Expected}: {problem}";
        return ok;
    }

    // The same JSON as in a file, so a window reads the same in a drop-in and in a systemd Environment= line.
    private static bool TryParseWindows(string text, out object? value, ref string expected, out string? detail)
    {
        value = null;
        detail = null;
        expected = "the JSON text of " + expected;
        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { AllowTrailingCommas = true, MaxDepth = 8 });
            return TryReadWindows(document.RootElement, out value, out detail);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool TryReadInteger(JsonElement element, ref object? value, ref string expected)
    {
        if (element.TryGetInt32(out var number))
        {
            value = number;
            return true;
        }

        if (element.TryGetDouble(out var real) && real == Math.Floor(real))
        {
            expected = "an integer between -2147483648 and 2147483647";
        }

        return false;
    }

    private static bool TrySeconds(double seconds, out object? value)
    {
        value = null;
        if (!double.IsFinite(seconds) || Math.Abs(seconds) > _maxSeconds)
        {
            return false;
        }

        value = TimeSpan.FromSeconds(seconds);
        return true;
    }

    private static bool TryChoose(OptionKey key, string name, out object? value)
    {
        var choice = key.Choices.FirstOrDefault(c => c.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
        value = choice?.Value;
        return choice is not null;
    }

    private static string Expected(OptionKey key) => key.Kind switch
    {
        OptionKind.Boolean => "true or false",
        OptionKind.Integer => "an integer",
        OptionKind.Text => "a string",
        OptionKind.Seconds => "a number of seconds",
        OptionKind.OptionalSeconds => "a number of seconds or null",
        OptionKind.IntegerOrText => "an integer or a percentage string like \"10%\"",
        OptionKind.Choice => "one of " + string.Join(", ", key.Choices.Select(c => $"\"{c.Name}\"")),
        OptionKind.WindowList => MaintenanceWindowsJson.Expected,
        OptionKind.ImagePrefixList => ImagePrefixListText.Expected,
        OptionKind.TextList => TextListText.Expected,
        _ => "a value",
    };

    private static string Shorten(string raw) =>
        raw.Length > ValueText.MaxEchoed ? $"{raw[..ValueText.MaxEchoed]}... ({raw.Length} characters)" : raw;
}
