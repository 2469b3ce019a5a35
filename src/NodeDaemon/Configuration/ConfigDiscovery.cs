using NodeDaemon.Core.Options;

namespace NodeDaemon.Configuration;

/// <summary>The configuration files found on disk, in the order to apply them, and the ones that could not be read.</summary>
/// <param name="Files">Files to hand to <see cref="OptionsLoader.Load"/>, lowest precedence first.</param>
/// <param name="Errors">One line per directory or file that exists but could not be read.</param>
public sealed record ConfigDiscovery(IReadOnlyList<ConfigFile> Files, IReadOnlyList<string> Errors);
