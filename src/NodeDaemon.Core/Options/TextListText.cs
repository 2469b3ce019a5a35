using System.Text.Json;

namespace NodeDaemon.Core.Options;

/// <summary>Reads a list of strings from a JSON array, or from an environment variable holding the same JSON text.</summary>
/// <remarks>Each entry's own syntax (a label selector, a unit name) is checked by validation, which names the entry.</remarks>
internal static class TextListText
{
    /// <summary>What the key holds, for "must be ..." messages.</summary>
    public const string Expected = "a list of strings like [\"k8s-app=cilium\"]";

    /// <summary>A JSON array of strings.</summary>
    public static bool TryRead(JsonElement element, out object? value, out string? detail)
    {
        var items = new List<string>();
        var index = 0;
        foreach (var item in element.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                value = null;
                detail = $"item [{index}] must be a string, got {OptionValueReader.Describe(item)}";
                return false;
            }

            items.Add(item.GetString()!);
            index++;
        }

        value = items;
        detail = null;
        return true;
    }

    /// <summary>The JSON text of an array; empty text is the empty list (so a variable can clear what a file set).</summary>
    public static bool TryParse(string text, out object? value, out string? detail)
    {
        value = null;
        detail = null;
        if (text.Length == 0)
        {
            value = (IReadOnlyList<string>)[];
            return true;
        }

        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { AllowTrailingCommas = true, MaxDepth = 4 });
            return document.RootElement.ValueKind == JsonValueKind.Array && TryRead(document.RootElement, out value, out detail);
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
