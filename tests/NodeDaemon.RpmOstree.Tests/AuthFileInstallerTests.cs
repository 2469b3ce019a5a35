using NodeDaemon.Core.Host;

namespace NodeDaemon.RpmOstree.Tests;

/// <summary>Registry credentials: validated, installed 0600 and atomically, never echoed.</summary>
public sealed class AuthFileInstallerTests : IDisposable
{
    private const string Secret = "c2VjcmV0LXRva2VuLWRvLW5vdC1sb2c=";
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("nodedaemon-auth-");

    private string Source(string content)
    {
        var path = Path.Combine(_dir.FullName, "config.json");
        File.WriteAllText(path, content);
        return path;
    }

    private string Destination => Path.Combine(_dir.FullName, "run", "ostree", "auth.json");

    [Fact]
    public void Installs_a_valid_file_with_mode_0600()
    {
        var content = "{\"auths\": {\"registry.example.com\": {\"auth\": \"" + Secret + "\"}}}";
        var installer = new AuthFileInstaller(Source(content), Destination);

        Assert.Equal(AuthFileResult.Installed, installer.Install());
        Assert.Equal(content, File.ReadAllText(Destination));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Destination));
        Assert.Equal(AuthFileResult.Unchanged, installer.Install());
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(Destination)!));
    }

    [Fact]
    public void A_broken_file_is_reported_without_its_content_and_not_installed_over_a_good_one()
    {
        new AuthFileInstaller(Source("""{"auths": {}}"""), Destination).Install();

        var broken = new AuthFileInstaller(Source("{\"auths\": {\"r\": {\"auth\": " + Secret + "}}}"), Destination);
        var error = Assert.Throws<HostException>(() => broken.Install());

        Assert.Contains("not valid JSON", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret[..8], error.Message, StringComparison.Ordinal);
        Assert.Equal("""{"auths": {}}""", File.ReadAllText(Destination));
    }

    [Fact]
    public void A_file_that_is_not_an_object_is_refused()
    {
        var error = Assert.Throws<HostException>(() => new AuthFileInstaller(Source("[1, 2]"), Destination).Install());

        Assert.Contains("not a JSON object", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Destination));
    }

    [Fact]
    public void A_missing_default_kubelet_secret_is_fine_but_a_missing_configured_one_is_not()
    {
        var missing = Path.Combine(_dir.FullName, "absent.json");

        Assert.Equal(AuthFileResult.NoSource, new AuthFileInstaller(missing, Destination, sourceIsDefault: true).Install());
        var error = Assert.Throws<HostException>(() => new AuthFileInstaller(missing, Destination).Install());
        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/dev/zero", "a character device")]
    [InlineData("/", "a directory")]
    public void A_source_that_is_not_a_regular_file_is_refused_at_once(string source, string kind)
    {
        // Read whole, /dev/zero would exhaust memory before the JSON check ever ran.
        var error = Assert.Throws<HostException>(() => new AuthFileInstaller(source, Destination).Install());

        Assert.Contains($"it is {kind}, not a regular file", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Destination));
    }

    [Fact]
    public void Empty_source_disables()
    {
        Assert.Equal(AuthFileResult.Disabled, new AuthFileInstaller("", Destination).Install());
        Assert.False(File.Exists(Destination));
    }

    [Fact]
    public void Empty_source_removes_the_copy_an_earlier_run_installed()
    {
        var source = Path.Combine(_dir.FullName, "config.json");
        File.WriteAllText(source, "{\"auths\": {}}");
        Assert.Equal(AuthFileResult.Installed, new AuthFileInstaller(source, Destination).Install());

        Assert.Equal(AuthFileResult.Removed, new AuthFileInstaller("", Destination).Install());
        Assert.False(File.Exists(Destination));
        Assert.Equal(AuthFileResult.Disabled, new AuthFileInstaller("", Destination).Install());
    }

    public void Dispose() => _dir.Delete(recursive: true);
}
