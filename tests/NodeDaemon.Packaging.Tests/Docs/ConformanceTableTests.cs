using System.Text.RegularExpressions;
using NodeDaemon.Tests.Shared;

namespace NodeDaemon.Packaging.Tests.Docs;

/// <summary><c>docs/conformance.md</c> stays true on our side: every file of ours that a row names exists.</summary>
/// <remarks>The upstream column cannot be checked offline; the simulator and daemon columns can, and a renamed or
/// deleted file would otherwise leave a row pointing nowhere.</remarks>
public sealed partial class ConformanceTableTests
{
    [Fact]
    public void Every_file_of_ours_that_a_row_names_exists()
    {
        var table = File.ReadAllLines(Path.Combine(RepositoryPaths.Root, "docs", "conformance.md"))
            .Where(line => line.StartsWith("| ", StringComparison.Ordinal) && !line.StartsWith("| behaviour", StringComparison.Ordinal))
            .ToList();
        var ours = Directory.EnumerateFiles(RepositoryPaths.Root, "*", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(Path.GetFileName)
            .ToHashSet(StringComparer.Ordinal);

        Assert.True(table.Count >= 20, $"only {table.Count} rows in docs/conformance.md");
        var missing = new List<string>();
        foreach (var row in table)
        {
            var cells = row.Split(" | ");
            // Columns: behaviour | upstream | simulator | daemon. Only the last two name our files.
            foreach (var cell in cells.Skip(2))
            {
                missing.AddRange(FileName().Matches(cell).Select(m => m.Groups["name"].Value)
                    .Where(name => !ours.Contains(name)));
            }
        }

        Assert.True(missing.Count == 0, $"docs/conformance.md names files that are not in the repository: {string.Join(", ", missing)}");
    }

    [GeneratedRegex(@"`(?:[\w./-]*/)?(?<name>[\w.-]+\.(?:cs|py|json|xml|service))`")]
    private static partial Regex FileName();
}
