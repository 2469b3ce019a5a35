using System.Text.Json;
using NodeDaemon.Core.Images;

namespace NodeDaemon.Core.Options;

/// <summary>Reads <c>allowedImages</c> from a JSON array or an environment variable, parsing each entry so a bad one stops the start.</summary>
internal static class ImagePrefixListText
{
    /// <summary>What the key holds, for "must be ..." messages.</summary>
    public const string Expected = "a list of image repository prefixes like [\"quay.io/fedora/fedora-coreos\"]";

    // The separators of the environment form: an image reference never contains a comma or white space.
    private static readonly char[] _separators = [',', ' ', '\t', '\n', '\r'];

    /// <summary>A JSON array of strings.</summary>
    public static bool TryRead(JsonElement element, out object? value, out string? detail)
    {
        var prefixes = new List<ImageRepositoryPrefix>();
        var index = 0;
        foreach (var item in element.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                return Fail($"item [{index}] must be a string, got {OptionValueReader.Describe(item)}", out value, out detail);
            }

            if (!Add(prefixes, item.GetString(), index, out detail))
            {
                value = null;
                return false;
            }

            index++;
        }

        value = prefixes;
        detail = null;
        return true;
    }

    /// <summary>Entries separated by commas or white space; empty text is the empty list (every repository allowed).</summary>
    public static bool TryParse(string text, out object? value, out string? detail)
    {
        var prefixes = new List<ImageRepositoryPrefix>();
        var entries = text.Split(_separators, StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < entries.Length; i++)
        {
            if (!Add(prefixes, entries[i], i, out detail))
            {
                value = null;
                return false;
            }
        }

        value = prefixes;
        detail = null;
        return true;
    }

    private static bool Add(List<ImageRepositoryPrefix> prefixes, string? entry, int index, out string? detail)
    {
        if (!ImageRepositoryPrefix.TryParse(entry, out var prefix, out var error))
        {
            detail = $"item [{index}] {error}";
            return false;
        }

        prefixes.Add(prefix!);
        detail = null;
        return true;
    }

    private static bool Fail(string message, out object? value, out string? detail)
    {
        value = null;
        detail = message;
        return false;
    }
}
