namespace NodeDaemon.Core.Options;

/// <summary>Reads the <c>NODEDAEMON_*</c> environment variables into the merged settings, after every file.</summary>
internal static class EnvironmentConfigReader
{
    // Segments are matched ignoring case and '_', so NODEDAEMON_ALLOW_TAGS and NODEDAEMON_ALLOWTAGS both mean allowTags.
    private static readonly Dictionary<string, OptionKey> _byNormalizedPath =
        OptionKeys.All.ToDictionary(k => string.Join('.', k.Path.Split('.').Select(KeySuggester.Normalize)), StringComparer.Ordinal);

    /// <summary>Applies every <c>NODEDAEMON_*</c> variable, in ordinal order of name, and returns one source per variable applied.</summary>
    public static IReadOnlyList<OptionsSource> Read(IReadOnlyDictionary<string, string> environment, OptionAssignments target, List<string> errors)
    {
        var sources = new List<OptionsSource>();
        var claimedBy = new Dictionary<string, string>(StringComparer.Ordinal);
        var prefix = OptionsLoader.EnvironmentPrefix;
        foreach (var (name, text) in environment.Where(e => e.Key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                     .OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            var segments = name[prefix.Length..].Split("__");
            var normalized = string.Join('.', segments.Select(KeySuggester.Normalize));
            if (!_byNormalizedPath.TryGetValue(normalized, out var key))
            {
                errors.Add(Unknown(name, normalized));
                continue;
            }

            if (claimedBy.TryGetValue(key.Path, out var earlier))
            {
                errors.Add($"{earlier} and {name} both set {key.Path}; keep one");
                continue;
            }

            claimedBy[key.Path] = name;
            if (OptionValueReader.TryParse(key, text, out var value, out var problem))
            {
                target.Set(key, value, $"by {name}");
                sources.Add(new OptionsSource(name, [key.Path]));
            }
            else
            {
                errors.Add($"{key.Path} in environment variable {name} {problem}");
            }
        }

        return sources;
    }

    private static string Unknown(string name, string normalized)
    {
        if (OptionKeys.Sections.Contains(normalized))
        {
            var example = OptionKeys.In(normalized).First().EnvironmentVariable;
            return $"environment variable {name} names the section \"{normalized}\", not a setting; set one of its keys, e.g. {example}";
        }

        var near = KeySuggester.Closest(normalized.Replace(".", "", StringComparison.Ordinal),
            OptionKeys.All.Select(k => k.EnvironmentVariable[OptionsLoader.EnvironmentPrefix.Length..]));
        return near is null
            ? $"unknown environment variable {name}"
            : $"unknown environment variable {name}; did you mean {OptionsLoader.EnvironmentPrefix}{near}?";
    }
}
