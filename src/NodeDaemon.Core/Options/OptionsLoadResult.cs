using System.Diagnostics.CodeAnalysis;

namespace NodeDaemon.Core.Options;

/// <summary>What <see cref="OptionsLoader.Load"/> made of the files and the environment.</summary>
/// <param name="Options">The merged, valid options; null when there is any error.</param>
/// <param name="Errors">Every problem found, one line each, in file order, then environment, then validation.</param>
/// <param name="Sources">The files and environment variables applied, in the order applied.</param>
public sealed record OptionsLoadResult(
    NodeDaemonOptions? Options,
    IReadOnlyList<string> Errors,
    IReadOnlyList<OptionsSource> Sources)
{
    /// <summary>True when there are no errors and <see cref="Options"/> is set.</summary>
    [MemberNotNullWhen(true, nameof(Options))]
    public bool Succeeded => Options is not null;
}
