using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace NodeDaemon.Core.Options;

/// <summary>Reads and writes <c>maintenance.windows</c>, the one key whose value is a list of objects.</summary>
/// <remarks>
/// Only the shape is checked here (objects, known keys, types); day names, times and lengths are checked by
/// <see cref="NodeDaemonOptions.Validate"/>, so that options built in code get the same messages.
/// </remarks>
internal static class MaintenanceWindowsJson
{
    /// <summary>What a message says the value must be.</summary>
    public const string Expected = "a list of windows like [{\"days\": [\"Sat\", \"Sun\"], \"start\": \"22:30\", \"lengthMinutes\": 120}]";

    private static readonly string[] s_keys = ["days", "start", "lengthMinutes"];

    /// <summary>Reads a JSON array of window objects; on failure <paramref name="problem"/> says which item and why.</summary>
    public static bool TryRead(JsonElement element, out IReadOnlyList<MaintenanceWindowOptions> windows, out string? problem)
    {
        windows = [];
        problem = null;
        if (element.ValueKind != JsonValueKind.Array)
        {
            return false;
        }

        var read = new List<MaintenanceWindowOptions>();
        var index = 0;
        foreach (var item in element.EnumerateArray())
        {
            if (TryReadWindow(item, out var window, out var itemProblem))
            {
                read.Add(window);
            }
            else
            {
                problem = $"windows[{ValueText.Integer(index)}]{itemProblem}";
                return false;
            }

            index++;
        }

        windows = read;
        return true;
    }

    /// <summary>The windows as a configuration file would hold them.</summary>
    public static string Write(IReadOnlyList<MaintenanceWindowOptions> windows)
    {
        var builder = new StringBuilder("[");
        foreach (var window in windows)
        {
            builder.Append(builder.Length > 1 ? ", " : "")
                .Append("{\"days\": [")
                .AppendJoin(", ", (window.Days ?? []).Select(Quote))
                .Append("], \"start\": ").Append(Quote(window.Start))
                .Append(", \"lengthMinutes\": ").Append(window.LengthMinutes.ToString(CultureInfo.InvariantCulture))
                .Append('}');
        }

        return builder.Append(']').ToString();
    }

    private static bool TryReadWindow(JsonElement item, out MaintenanceWindowOptions window, out string problem)
    {
        window = new MaintenanceWindowOptions();
        problem = "";
        if (item.ValueKind != JsonValueKind.Object)
        {
            problem = $" is {OptionValueReader.Describe(item)}, not an object";
            return false;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? start = null;
        int? length = null;
        foreach (var property in item.EnumerateObject())
        {
            var name = property.Name;
            var value = property.Value;
            if (!seen.Add(name))
            {
                problem = $".{name} is set twice";
                return false;
            }

            switch (name)
            {
                case "days" when value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(d => d.ValueKind == JsonValueKind.String):
                    window = window with { Days = [.. value.EnumerateArray().Select(d => d.GetString()!)] };
                    break;
                case "days":
                    problem = $".days must be a list of day names like [\"Sat\", \"Sun\"], got {OptionValueReader.Describe(value)}";
                    return false;
                case "start" when value.ValueKind == JsonValueKind.String:
                    start = value.GetString();
                    break;
                case "start":
                    problem = $".start must be a string like \"22:30\", got {OptionValueReader.Describe(value)}";
                    return false;
                case "lengthMinutes" when value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var minutes):
                    length = minutes;
                    break;
                case "lengthMinutes":
                    problem = $".lengthMinutes must be an integer, got {OptionValueReader.Describe(value)}";
                    return false;
                default:
                    var near = KeySuggester.Closest(name, s_keys);
                    problem = $" has an unknown key {ValueText.Quote(name)}{(near is null ? "" : $"; did you mean \"{near}\"?")}";
                    return false;
            }
        }

        // Days may be left out (every day); a window without a start or a length is a half-written one.
        if (start is null || length is null)
        {
            problem = $" needs {(start is null ? "\"start\"" : "")}{(start is null && length is null ? " and " : "")}{(length is null ? "\"lengthMinutes\"" : "")}";
            return false;
        }

        window = window with { Start = start, LengthMinutes = length.Value };
        return true;
    }

    private static string Quote(string? text) => $"\"{JsonEncodedText.Encode(text ?? "", JavaScriptEncoder.UnsafeRelaxedJsonEscaping)}\"";
}
