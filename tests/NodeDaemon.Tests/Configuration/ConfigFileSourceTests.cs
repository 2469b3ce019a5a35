using NodeDaemon.Configuration;
using NodeDaemon.Core.Options;

namespace NodeDaemon.Tests.Configuration;

public sealed class ConfigFileSourceTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("nodedaemon-config-").FullName;
    private readonly string _vendor;
    private readonly string _admin;

    public ConfigFileSourceTests()
    {
        _vendor = Path.Combine(_root, "usr/lib/nodedaemon/config.d");
        _admin = Path.Combine(_root, "etc/nodedaemon/config.d");
        Directory.CreateDirectory(_vendor);
        Directory.CreateDirectory(_admin);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static string Write(string directory, string name, string content)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    private ConfigDiscovery Discover(IReadOnlyList<string>? explicitFiles = null) =>
        ConfigFileSource.Discover([_vendor, _admin], explicitFiles);

    [Fact]
    public void Defaults_are_the_vendor_directory_then_the_admin_one() =>
        Assert.Equal(["/usr/lib/nodedaemon/config.d", "/etc/nodedaemon/config.d"], ConfigFileSource.DefaultDirectories);

    [Fact]
    public void Missing_directories_give_no_files_and_no_errors()
    {
        var result = ConfigFileSource.Discover([Path.Combine(_root, "nope"), Path.Combine(_root, "neither")]);

        Assert.Empty(result.Files);
        Assert.Empty(result.Errors);
    }

    [Fact]
    public void Files_of_all_directories_are_applied_in_lexical_order_of_name()
    {
        Write(_vendor, "20-vendor.json", "{}");
        Write(_vendor, "00-vendor.json", "{}");
        Write(_admin, "10-admin.json", "{}");
        Write(_admin, "9-late.json", "{}");
        Write(_admin, "Z-upper.json", "{}");

        var result = Discover();

        Assert.Empty(result.Errors);
        Assert.Equal(
            ["00-vendor.json", "10-admin.json", "20-vendor.json", "9-late.json", "Z-upper.json"],
            result.Files.Select(f => Path.GetFileName(f.Path)));
        Assert.Equal(Path.Combine(_vendor, "20-vendor.json"), result.Files[2].Path);
    }

    [Fact]
    public void A_later_directory_masks_a_file_of_the_same_name()
    {
        Write(_vendor, "50-drain.json", """{ "drain": { "concurrency": 2 } }""");
        var admin = Write(_admin, "50-drain.json", """{ "drain": { "timeoutSeconds": 60 } }""");

        var result = Discover();

        var file = Assert.Single(result.Files);
        Assert.Equal(admin, file.Path);
        Assert.Contains("timeoutSeconds", file.Content, StringComparison.Ordinal);
    }

    [Fact]
    public void A_symlink_to_dev_null_masks_a_vendor_file_and_sets_nothing()
    {
        Write(_vendor, "50-drain.json", """{ "drain": { "concurrency": 2 } }""");
        File.CreateSymbolicLink(Path.Combine(_admin, "50-drain.json"), "/dev/null");

        var discovery = Discover();
        var loaded = OptionsLoader.Load(discovery.Files, new Dictionary<string, string>());

        Assert.Equal("", Assert.Single(discovery.Files).Content);
        Assert.True(loaded.Succeeded);
        Assert.Equal(NodeDaemonOptionsDefaults.DrainConcurrency, loaded.Options.Drain.Concurrency);
    }

    [Fact]
    public void Only_visible_json_files_are_taken()
    {
        Write(_admin, "10-a.json", "{}");
        Write(_admin, "10-a.json.rpmnew", "{}");
        Write(_admin, "10-a.conf", "{}");
        Write(_admin, ".10-a.json", "{}");
        Write(_admin, "10-A.JSON", "{}");
        Directory.CreateDirectory(Path.Combine(_admin, "sub.json"));

        var result = Discover();

        Assert.Equal(["10-a.json"], result.Files.Select(f => Path.GetFileName(f.Path)));
    }

    [Fact]
    public void An_unreadable_file_is_an_error_and_the_others_still_load()
    {
        Write(_admin, "10-good.json", "{}");
        var broken = Path.Combine(_admin, "20-broken.json");
        File.CreateSymbolicLink(broken, Path.Combine(_root, "missing-target.json"));

        var result = Discover();

        Assert.Equal(["10-good.json"], result.Files.Select(f => Path.GetFileName(f.Path)));
        Assert.StartsWith($"{broken}: cannot read the file: ", Assert.Single(result.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Explicit_files_come_last_in_the_order_given()
    {
        Write(_admin, "50-admin.json", "{}");
        var elsewhere = Path.Combine(_root, "cli");
        Directory.CreateDirectory(elsewhere);
        var second = Write(elsewhere, "b.json", "{}");
        var first = Write(elsewhere, "z-override.conf", "{}");

        var result = Discover([first, second]);

        Assert.Equal([Path.Combine(_admin, "50-admin.json"), first, second], result.Files.Select(f => f.Path));
    }

    [Fact]
    public void A_missing_explicit_file_is_an_error()
    {
        var missing = Path.Combine(_root, "nope.json");

        var result = Discover([missing]);

        Assert.Empty(result.Files);
        Assert.StartsWith($"{missing}: cannot read the file: ", Assert.Single(result.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Discovered_files_merge_key_by_key_with_the_admin_winning()
    {
        Write(_vendor, "00-defaults.json", """{ "drain": { "concurrency": 2, "timeoutSeconds": 300 } }""");
        Write(_admin, "10-site.json", """{ "drain": { "timeoutSeconds": 900 } }""");

        var result = OptionsLoader.Load(Discover().Files, new Dictionary<string, string>());

        Assert.True(result.Succeeded);
        Assert.Equal(2, result.Options.Drain.Concurrency);
        Assert.Equal(TimeSpan.FromSeconds(900), result.Options.Drain.Timeout);
    }
}
