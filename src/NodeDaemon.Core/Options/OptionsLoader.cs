namespace NodeDaemon.Core.Options;

/// <summary>Builds <see cref="NodeDaemonOptions"/> from drop-in JSON files and <c>NODEDAEMON_*</c> variables, reporting every problem at once.</summary>
public static class OptionsLoader
{
    /// <summary>Prefix of every environment variable the loader reads.</summary>
    public const string EnvironmentPrefix = "NODEDAEMON_";

    /// <summary>Every JSON key path the loader accepts, e.g. <c>drain.timeoutSeconds</c>, in documentation order.</summary>
    public static IReadOnlyList<string> KnownKeys { get; } = [.. OptionKeys.All.Select(k => k.Path)];

    /// <summary>The canonical environment variable for a JSON key path, e.g. <c>NODEDAEMON_DRAIN__TIMEOUT_SECONDS</c>.</summary>
    /// <exception cref="ArgumentException"><paramref name="keyPath"/> is not one of <see cref="KnownKeys"/>.</exception>
    public static string EnvironmentVariableFor(string keyPath) =>
        OptionKeys.Find(keyPath)?.EnvironmentVariable
        ?? throw new ArgumentException($"unknown configuration key {ValueText.Quote(keyPath)}", nameof(keyPath));

    /// <summary>The value of a key in <paramref name="options"/> as JSON text, e.g. <c>900</c> or <c>"uncordon"</c>, for printing the effective configuration.</summary>
    /// <exception cref="ArgumentException"><paramref name="keyPath"/> is not one of <see cref="KnownKeys"/>.</exception>
    public static string FormatValue(NodeDaemonOptions options, string keyPath)
    {
        ArgumentNullException.ThrowIfNull(options);
        return (OptionKeys.Find(keyPath) ?? throw new ArgumentException($"unknown configuration key {ValueText.Quote(keyPath)}", nameof(keyPath)))
            .Format(options);
    }

    /// <summary>
    /// Applies <paramref name="files"/> in the order given (later ones override earlier ones key by key), then the
    /// <c>NODEDAEMON_*</c> variables of <paramref name="environment"/>, then validates the result.
    /// </summary>
    /// <param name="files">The configuration files, already in precedence order, lowest first.</param>
    /// <param name="environment">The process environment; variables without the prefix are ignored.</param>
    /// <returns>The options when there was no problem at all, every problem otherwise, and what was applied.</returns>
    public static OptionsLoadResult Load(IEnumerable<ConfigFile> files, IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(environment);

        var errors = new List<string>();
        var sources = new List<OptionsSource>();
        var assignments = new OptionAssignments();
        foreach (var file in files)
        {
            sources.Add(JsonConfigReader.Read(file, assignments, errors));
        }

        sources.AddRange(EnvironmentConfigReader.Read(environment, assignments, errors));

        // A value that failed to convert was never assigned, so its default stands in and validation stays quiet about it.
        var options = assignments.Build();
        foreach (var problem in options.ValidateCore())
        {
            errors.Add(assignments.OriginOf(problem.Path) is { } origin ? $"{problem.Message} (set {origin})" : problem.Message);
        }

        return new OptionsLoadResult(errors.Count == 0 ? options : null, errors, sources);
    }
}
