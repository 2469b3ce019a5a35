using NodeDaemon.Core.Options;

namespace NodeDaemon.RpmOstree.Bootc;

/// <summary>What the bootc backend needs from the daemon's options and environment.</summary>
/// <param name="Staging">The timeout for one bootc run (<see cref="StagingOptions.TransactionTimeout"/>).</param>
/// <param name="Executable">The bootc executable: a path, or a name looked up on the PATH.</param>
public sealed record BootcHostOptions(StagingOptions Staging, string Executable = "bootc")
{
    /// <summary>Variables set (or, when null, removed) in bootc's environment, e.g. a registry proxy.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();
}
