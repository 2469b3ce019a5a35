using NodeDaemon.Core.Options;
using NodeDaemon.Tests.Shared;

namespace NodeDaemon.Packaging.Tests.Config;

/// <summary>The drop-in the RPM ships as <c>/usr/lib/nodedaemon/config.d/00-defaults.json</c> is the built-in defaults, spelled out.</summary>
public sealed class DefaultConfigTests
{
    private static readonly string s_path = Path.Combine(RepositoryPaths.Root, "packaging", "00-defaults.json");

    [Fact]
    public void LoadsCleanlyAndSetsEveryKey()
    {
        var result = Load([new ConfigFile(s_path, File.ReadAllText(s_path))]);

        Assert.Empty(result.Errors);
        Assert.Equal(OptionsLoader.KnownKeys.Order(StringComparer.Ordinal),
            Assert.Single(result.Sources).Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void EveryValueIsTheBuiltInDefault()
    {
        var shipped = Load([new ConfigFile(s_path, File.ReadAllText(s_path))]);
        var builtIn = Load([]);

        Assert.True(shipped.Succeeded);
        Assert.True(builtIn.Succeeded);
        Assert.All(OptionsLoader.KnownKeys, key =>
            Assert.Equal(OptionsLoader.FormatValue(builtIn.Options, key), OptionsLoader.FormatValue(shipped.Options, key)));
    }

    private static OptionsLoadResult Load(ConfigFile[] files) =>
        OptionsLoader.Load(files, new Dictionary<string, string>(StringComparer.Ordinal));
}
