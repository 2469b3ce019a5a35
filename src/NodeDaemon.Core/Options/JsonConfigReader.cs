using System.Text.Json;

namespace NodeDaemon.Core.Options;

/// <summary>Reads one configuration file into the merged settings, collecting every problem in it.</summary>
internal static class JsonConfigReader
{
    // Drop-ins are edited by hand, so comments and a trailing comma are forgiven.
    private static readonly JsonDocumentOptions _documentOptions = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
        MaxDepth = 16,
    };

    /// <summary>Applies <paramref name="file"/> to <paramref name="target"/> and returns the keys it set.</summary>
    public static OptionsSource Read(ConfigFile file, OptionAssignments target, List<string> errors)
    {
        var keys = new List<string>();
        var source = new OptionsSource(file.Path, keys);

        // An empty file (or a symlink to /dev/null) masks a same-named vendor file without setting anything.
        if (string.IsNullOrWhiteSpace(file.Content))
        {
            return source;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(file.Content, _documentOptions);
        }
        catch (JsonException e)
        {
            errors.Add($"{file.Path}: invalid JSON at line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1}: {Reason(e)}");
            return source;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                errors.Add($"{file.Path}: the top level must be a JSON object, got {OptionValueReader.Describe(root)}");
                return source;
            }

            try
            {
                new Walker(file.Path, target, errors, keys).Object(root, section: "");
            }
            catch (InvalidOperationException)
            {
                // System.Text.Json refuses to read a string holding a lone surrogate escape; the file is refused whole.
                errors.Add($"{file.Path}: a key or string holds a \\uD800-\\uDFFF escape that is not half of a surrogate pair, "
                    + "which is no character; write the character itself");
            }
        }

        return source;
    }

    // JsonException messages end in " Path: $.x | LineNumber: 0 | BytePositionInLine: 3."; position is reported separately.
    private static string Reason(JsonException e)
    {
        var message = e.Message;
        foreach (var marker in (ReadOnlySpan<string>)[" Path: ", " LineNumber: "])
        {
            var at = message.IndexOf(marker, StringComparison.Ordinal);
            if (at > 0)
            {
                message = message[..at];
            }
        }

        return message.TrimEnd();
    }

    /// <summary>The state of one file's walk.</summary>
    private sealed class Walker(string file, OptionAssignments target, List<string> errors, List<string> keys)
    {
        public void Object(JsonElement element, string section)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in element.EnumerateObject())
            {
                var path = section.Length == 0 ? property.Name : $"{section}.{property.Name}";
                if (!seen.Add(property.Name))
                {
                    errors.Add($"{ValueText.Quote(path)} in {file} is set twice; keep one");
                }

                if (section.Length == 0 && OptionKeys.Sections.Contains(property.Name))
                {
                    Section(property.Value, property.Name);
                }
                else if (OptionKeys.Find(path) is { } key)
                {
                    Value(property.Value, key);
                }
                else
                {
                    errors.Add($"unknown key {ValueText.Quote(path)} in {file}{Suggestion(property.Name, section)}");
                }
            }
        }

        private void Section(JsonElement element, string section)
        {
            if (element.ValueKind == JsonValueKind.Object)
            {
                Object(element, section);
            }
            else
            {
                errors.Add($"{section} in {file} must be an object, got {OptionValueReader.Describe(element)}");
            }
        }

        private void Value(JsonElement element, OptionKey key)
        {
            if (OptionValueReader.TryRead(key, element, out var value, out var problem))
            {
                target.Set(key, value, $"in {file}");
                keys.Add(key.Path);
            }
            else
            {
                errors.Add($"{key.Path} in {file} {problem}");
            }
        }

        // Same level first; then the same name in another section, which is a misplaced key, not a typo.
        private static string Suggestion(string name, string section)
        {
            var here = OptionKeys.In(section).Select(k => k.Name);
            if (section.Length == 0)
            {
                here = here.Concat(OptionKeys.Sections);
            }

            if (KeySuggester.Closest(name, here) is { } near)
            {
                return $"; did you mean \"{near}\"?";
            }

            var elsewhere = OptionKeys.All.Where(k => k.Section != section).ToList();
            if (KeySuggester.Closest(name, elsewhere.Select(k => k.Name)) is { } far)
            {
                var paths = elsewhere.Where(k => k.Name == far).Select(k => $"\"{k.Path}\"");
                return $"; did you mean {string.Join(" or ", paths)}?";
            }

            return "";
        }
    }
}
