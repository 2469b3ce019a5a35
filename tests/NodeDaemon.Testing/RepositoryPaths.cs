namespace NodeDaemon.Tests.Shared;

/// <summary>Finds the repository and the fixtures captured from real hosts that it keeps under <c>tests/fixtures</c>.</summary>
/// <remarks>In tests/NodeDaemon.Testing, which every test project references. Nothing outside the repository is read:
/// a plain clone with nothing beside it runs every test.</remarks>
public static class RepositoryPaths
{
    /// <summary>The folder holding <c>NodeDaemon.sln</c>.</summary>
    public static string Root { get; } = FindUpward(
        dir => File.Exists(Path.Combine(dir, "NodeDaemon.sln")) ? dir : null, "NodeDaemon.sln");

    /// <summary>The <c>tests/fixtures/rpm-ostree-status</c> folder of real <c>rpm-ostree status --json</c> documents.</summary>
    public static string RpmOstreeStatusFolder() => Path.Combine(Root, "tests", "fixtures", "rpm-ostree-status");

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
