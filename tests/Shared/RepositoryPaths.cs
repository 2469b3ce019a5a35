namespace NodeDaemon.Tests.Shared;

/// <summary>Finds the repository and the shared fixtures captured from real hosts, wherever they are checked out.</summary>
/// <remarks>Compiled into every test project (tests/Directory.Build.props). The repository sits at /work/main, in a
/// worktree, or in a CI clone with a <c>shared/</c> copy beside it, so each ancestor and its parent are tried.</remarks>
internal static class RepositoryPaths
{
    private static readonly string s_fixtures = Path.Combine("shared", "fixtures", "rpm-ostree-status");

    /// <summary>The folder holding <c>NodeDaemon.sln</c>.</summary>
    public static string Root { get; } = FindUpward(
        dir => File.Exists(Path.Combine(dir, "NodeDaemon.sln")) ? dir : null, "NodeDaemon.sln");

    /// <summary>The <c>shared/fixtures/rpm-ostree-status</c> folder of real <c>rpm-ostree status --json</c> documents.</summary>
    public static string RpmOstreeStatusFolder() => FindUpward(dir =>
    {
        foreach (var root in new[] { dir, Path.Combine(dir, "..") })
        {
            var candidate = Path.GetFullPath(Path.Combine(root, s_fixtures));
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }, s_fixtures);

    /// <summary>One fixture file by name.</summary>
    public static string RpmOstreeStatus(string fileName) => Path.Combine(RpmOstreeStatusFolder(), fileName);

    private static string FindUpward(Func<string, string?> probe, string what)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (probe(dir.FullName) is { } found)
            {
                return found;
            }
        }

        throw new DirectoryNotFoundException($"no {what} above {AppContext.BaseDirectory}");
    }
}
