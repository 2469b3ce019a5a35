namespace NodeDaemon.Core.Tests.Images;

/// <summary>Finds the shared fixtures captured from real hosts, wherever the repository is checked out.</summary>
internal static class FixtureFiles
{
    private static readonly string _relative = Path.Combine("shared", "fixtures", "rpm-ostree-status");

    /// <summary>The <c>shared/fixtures/rpm-ostree-status</c> folder found upward from the test binaries.</summary>
    /// <remarks>The repository sits at /work/main or in a worktree or CI clone next to a <c>shared/</c> copy, so each ancestor and its parent are tried.</remarks>
    public static string RpmOstreeStatusFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            foreach (var root in new[] { dir.FullName, Path.Combine(dir.FullName, "..") })
            {
                var candidate = Path.GetFullPath(Path.Combine(root, _relative));
                if (Directory.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new DirectoryNotFoundException($"no {_relative} folder above {AppContext.BaseDirectory}");
    }
}
