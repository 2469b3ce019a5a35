using NodeDaemon.Tests.Shared;
using NodeDaemon.Core.Options;

namespace NodeDaemon.Core.Tests.Options;

public class ConfigurationDocsTests
{
    private static readonly Lazy<string[]> _lines = new(() => File.ReadAllLines(Path.Combine(RepositoryPaths.Root, "docs", "configuration.md")));

    public static TheoryData<string> Keys => [.. OptionsLoader.KnownKeys];

    [Theory]
    [MemberData(nameof(Keys))]
    public void Every_key_has_a_row_with_its_variable_and_default(string key)
    {
        var row = Assert.Single(_lines.Value, l => l.StartsWith($"| `{key}` |", StringComparison.Ordinal));
        var cells = row.Split(" | ");

        Assert.Equal($"`{OptionsLoader.EnvironmentVariableFor(key)}`", cells[1]);
        Assert.Equal($"`{OptionsLoader.FormatValue(new NodeDaemonOptions(), key)}`", cells[3]);
        Assert.True(cells[4].Length > 40, $"{key} needs a description");
    }

    [Fact]
    public void The_table_has_no_row_for_an_unknown_key()
    {
        var documented = _lines.Value
            .Where(l => l.StartsWith("| `", StringComparison.Ordinal))
            .Select(l => l[3..l.IndexOf('`', 3)]);

        Assert.Equal(OptionsLoader.KnownKeys.Order(), documented.Order());
    }

    [Fact]
    public void The_example_drop_in_loads_without_errors()
    {
        var start = Array.IndexOf(_lines.Value, "```json") + 1;
        var end = Array.IndexOf(_lines.Value, "```", start);
        var json = string.Join('\n', _lines.Value[start..end]);

        var result = OptionsLoader.Load([new ConfigFile("docs/configuration.md", json)], new Dictionary<string, string>());

        Assert.Empty(result.Errors);
        Assert.Equal(11, Assert.Single(result.Sources).Keys.Count);
    }
}
