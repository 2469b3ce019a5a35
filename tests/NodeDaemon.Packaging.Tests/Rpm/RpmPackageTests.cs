using System.Security.Cryptography;
using NodeDaemon.Packaging.Tests.Support;
using NodeDaemon.Tests.Shared;

namespace NodeDaemon.Packaging.Tests.Rpm;

/// <summary>What the built RPM installs, runs and needs, read back with <c>rpm -qp</c> and checked by rpmlint.</summary>
public sealed class RpmPackageTests(BuiltRpm rpm) : IClassFixture<BuiltRpm>
{
    [Fact]
    public async Task InstallsTheBinaryUnitDefaultsStateDirectoryAndManPage()
    {
        var files = Lines(await rpm.QueryAsync("-l"));

        Assert.Contains("/usr/bin/nodedaemon", files);
        Assert.Contains("/usr/lib/systemd/system/nodedaemon.service", files);
        Assert.Contains("/usr/lib/nodedaemon/config.d/00-defaults.json", files);
        Assert.Contains("/etc/nodedaemon/config.d", files);
        Assert.Contains("/var/lib/nodedaemon", files);
        Assert.Contains("/usr/share/man/man1/nodedaemon.1.gz", files);
        Assert.Contains("/usr/lib/sysusers.d/nodedaemon.conf", files);
        Assert.Contains("/usr/lib/tmpfiles.d/nodedaemon.conf", files);
        Assert.Contains("/usr/share/polkit-1/rules.d/60-nodedaemon.rules", files);
        Assert.Contains("/usr/share/nodedaemon/admission-policy.yaml", files);
        Assert.Contains("/usr/share/nodedaemon/rbac.yaml", files);
        // No debuginfo and no build-id links: nothing that could clash with another package.
        Assert.DoesNotContain(files, f => f.StartsWith("/usr/lib/.build-id", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StateDirectoryIsTheDaemonUsersAloneAndTheBinaryIsExecutable()
    {
        var modes = Lines(await rpm.QueryAsync("--queryformat", "[%{FILEMODES:perms} %{FILEUSERNAME}:%{FILEGROUPNAME} %{FILENAMES}\n]"));

        Assert.Contains("drwx------ nodedaemon:nodedaemon /var/lib/nodedaemon", modes);
        Assert.Contains("-rw-r--r-- root:root /usr/share/polkit-1/rules.d/60-nodedaemon.rules", modes);
        Assert.Contains("-rwxr-xr-x root:root /usr/bin/nodedaemon", modes);
        Assert.Contains("-rw-r--r-- root:root /usr/lib/systemd/system/nodedaemon.service", modes);
    }

    [Fact]
    public async Task PackagesTheRepositorysUnitAndDefaultsByteForByte()
    {
        // --dump: path size mtime sha256 mode ...
        var digests = Lines(await rpm.QueryAsync("--dump"))
            .Select(line => line.Split(' '))
            .ToDictionary(fields => fields[0], fields => fields[3], StringComparer.Ordinal);

        Assert.Equal(Sha256("systemd", "nodedaemon.service"), digests["/usr/lib/systemd/system/nodedaemon.service"]);
        Assert.Equal(Sha256("packaging", "00-defaults.json"), digests["/usr/lib/nodedaemon/config.d/00-defaults.json"]);
        Assert.Equal(Sha256("packaging", "nodedaemon.sysusers"), digests["/usr/lib/sysusers.d/nodedaemon.conf"]);
        Assert.Equal(Sha256("packaging", "nodedaemon.tmpfiles"), digests["/usr/lib/tmpfiles.d/nodedaemon.conf"]);
        Assert.Equal(Sha256("packaging", "60-nodedaemon.rules"), digests["/usr/share/polkit-1/rules.d/60-nodedaemon.rules"]);
        Assert.Equal(Sha256("docs", "admission-policy.yaml"), digests["/usr/share/nodedaemon/admission-policy.yaml"]);
        Assert.Equal(Sha256("docs", "rbac.yaml"), digests["/usr/share/nodedaemon/rbac.yaml"]);
        Assert.Equal(Sha256("docs", "nodedaemon-alerts.yaml"), digests["/usr/share/nodedaemon/nodedaemon-alerts.yaml"]);
        Assert.Equal(Sha256("docs", "nodedaemon-dashboard.json"), digests["/usr/share/nodedaemon/nodedaemon-dashboard.json"]);
    }

    [Fact]
    public async Task ShipsEveryDocument()
    {
        var files = Lines(await rpm.QueryAsync("-l"));
        var docs = Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "docs"), "*.md")
            .Append(Path.Combine(RepositoryPaths.Root, "docs", "rbac.yaml"))
            .Append(Path.Combine(RepositoryPaths.Root, "README.md"))
            .Select(f => "/usr/share/doc/nodedaemon/" + Path.GetFileName(f));

        // The unit's Documentation= points at install.md.
        Assert.Contains("/usr/share/doc/nodedaemon/install.md", docs);
        Assert.All(docs, doc => Assert.Contains(doc, files));
    }

    [Fact]
    public async Task ScriptletsPresetOnInstallStopOnRemoveAndRestartOnUpgrade()
    {
        var scripts = await rpm.QueryAsync("--scripts");

        // systemd's macros.systemd: each step goes through systemd-update-helper, guarded by rpm's instance count.
        Assert.Contains(
            "if [ $1 -eq 1 ] && [ -x \"/usr/lib/systemd/systemd-update-helper\" ]; then", Section(scripts, "postinstall"), StringComparison.Ordinal);
        Assert.Contains(
            "/usr/lib/systemd/systemd-update-helper install-system-units nodedaemon.service", Section(scripts, "postinstall"), StringComparison.Ordinal);
        Assert.Contains("if [ $1 -eq 0 ]", Section(scripts, "preuninstall"), StringComparison.Ordinal);
        Assert.Contains(
            "/usr/lib/systemd/systemd-update-helper remove-system-units nodedaemon.service", Section(scripts, "preuninstall"), StringComparison.Ordinal);
        Assert.Contains("if [ $1 -ge 1 ]", Section(scripts, "postuninstall"), StringComparison.Ordinal);
        Assert.Contains(
            "/usr/lib/systemd/systemd-update-helper mark-restart-system-units nodedaemon.service", Section(scripts, "postuninstall"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PreinstallCreatesTheUserAndPostinstallTheSymlink()
    {
        var scripts = await rpm.QueryAsync("--scripts");

        // rpm older than 4.19 (RHEL 9) does not read sysusers.d files itself: %pre feeds the packaged one to systemd-sysusers.
        var pre = Section(scripts, "preinstall");
        Assert.Contains("/usr/bin/systemd-sysusers --replace=/usr/lib/sysusers.d/nodedaemon.conf -", pre, StringComparison.Ordinal);
        Assert.Contains(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "packaging", "nodedaemon.sysusers")).Trim(), pre, StringComparison.Ordinal);
        Assert.Contains("/usr/bin/systemd-tmpfiles --create nodedaemon.conf", Section(scripts, "postinstall"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheSysusersFileCreatesASystemUserWithoutLogin()
    {
        using var root = new TempDirectory();
        var sysusers = Path.Combine(RepositoryPaths.Root, "packaging", "nodedaemon.sysusers");
        Directory.CreateDirectory(root.Combine("etc")); // where systemd-sysusers takes its lock

        (await Tool.RunAsync(Tool.OnPath("systemd-sysusers"), "--root=" + root.Path, sysusers)).EnsureSuccess();

        var entry = Assert.Single(File.ReadAllLines(root.Combine("etc", "passwd")), line => line.StartsWith("nodedaemon:", StringComparison.Ordinal)).Split(':');
        Assert.True(int.Parse(entry[2], System.Globalization.CultureInfo.InvariantCulture) < 1000, $"uid {entry[2]} is not a system uid");
        Assert.Equal("/usr/sbin/nologin", entry[6]);
        Assert.Contains(File.ReadAllLines(root.Combine("etc", "group")), line => line.StartsWith("nodedaemon:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RequiresSystemdOpenSslAndAHostBackendButNoDotnetRuntime()
    {
        var requires = Lines(await rpm.QueryAsync("--requires"));

        Assert.Contains("systemd", requires);
        Assert.Contains("libssl.so.3()(64bit)", requires);
        Assert.Contains("(rpm-ostree or bootc)", requires);
        Assert.DoesNotContain(requires, r => r.Contains("dotnet", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(requires, r => r.Contains("libicu", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task VersionIsTheBuildsAndArchIsX8664()
    {
        var props = await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "Directory.Build.props"));
        var version = props.Split("<Version>")[1].Split("</Version>")[0];

        Assert.Equal($"{version}-1.x86_64", await rpm.QueryAsync("--queryformat", "%{VERSION}-%{RELEASE}.%{ARCH}"));
    }

    [Fact]
    public async Task RpmlintFindsNoErrors()
    {
        var config = Path.Combine(RepositoryPaths.Root, "packaging", "rpmlint.toml");
        var spec = Path.Combine(RepositoryPaths.Root, "packaging", "nodedaemon.spec");

        var result = await Tool.RunAsync(Tool.OnPath("rpmlint"), "-c", config, spec, rpm.Path);

        result.EnsureSuccess();
        Assert.Contains(" 0 errors,", result.Stdout, StringComparison.Ordinal);
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>One scriptlet of <c>rpm -qp --scripts</c>: from its "NAME scriptlet" header to the next header.</summary>
    private static string Section(string scripts, string name)
    {
        var start = scripts.IndexOf($"{name} scriptlet", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no {name} scriptlet in:\n{scripts}");
        var next = scripts.IndexOf(" scriptlet", start + name.Length + 10, StringComparison.Ordinal);
        var end = next < 0 ? scripts.Length : scripts.LastIndexOf('\n', next);
        return scripts[start..end];
    }

    private static string Sha256(params string[] parts) =>
        Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine([RepositoryPaths.Root, .. parts]))));
}
