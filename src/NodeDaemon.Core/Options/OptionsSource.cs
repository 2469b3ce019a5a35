namespace NodeDaemon.Core.Options;

/// <summary>A file or environment variable the loader applied, with the keys it set, for <c>validate-config</c> to print.</summary>
/// <param name="Name">The file path, or the environment variable's name.</param>
/// <param name="Keys">JSON key paths it set, e.g. <c>drain.timeoutSeconds</c>, in the order met; empty for a masking file.</param>
public sealed record OptionsSource(string Name, IReadOnlyList<string> Keys);
