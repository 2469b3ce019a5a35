using NodeDaemon.Core.Options;
using NodeDaemon.Tests.Shared;

namespace NodeDaemon.Packaging.Tests.Systemd;

/// <summary>The unit runs as the package's system user, gets its secrets as credentials, and hands registry
/// credentials to rpm-ostreed without writing ostree's directory.</summary>
public sealed class NonRootUnitTests
{
    /// <summary>What systemd's %d expands to for this unit (systemd.unit(5): the credentials directory).</summary>
    private const string CredentialsDirectory = "/run/credentials/nodedaemon.service";

    private static readonly string[] s_unit = File.ReadAllLines(UnitFile.Path);

    [Fact]
    public void RunsAsTheSysusersUserWithoutCapabilities()
    {
        var sysusers = File.ReadAllLines(Path.Combine(RepositoryPaths.Root, "packaging", "nodedaemon.sysusers"));

        Assert.Contains(sysusers, line => line.StartsWith("u nodedaemon ", StringComparison.Ordinal));
        Assert.Contains("User=nodedaemon", s_unit);
        Assert.Contains("Group=nodedaemon", s_unit);
        Assert.Contains("CapabilityBoundingSet=", s_unit);
        Assert.Contains("NoNewPrivileges=yes", s_unit);
    }

    [Fact]
    public void TheOptionalPullSecretHasAStandInAndTheKubeconfigHasNone()
    {
        // A LoadCredential= source that is missing fails the unit unless a SetCredential= of the same id stands in.
        Assert.Contains("LoadCredential=pull-secret:/var/lib/kubelet/config.json", s_unit);
        Assert.Contains("SetCredential=pull-secret:{}", s_unit);
        Assert.Contains("LoadCredential=kubeconfig:/etc/nodedaemon/kubeconfig", s_unit);
        Assert.DoesNotContain(s_unit, line => line.StartsWith("SetCredential=kubeconfig:", StringComparison.Ordinal));
    }

    [Fact]
    public void TheDaemonIsPointedAtTheCredentialsThroughRealOptions()
    {
        var environment = s_unit
            .Where(line => line.StartsWith("Environment=NODEDAEMON_", StringComparison.Ordinal))
            .Select(line => line["Environment=".Length..].Replace("%d", CredentialsDirectory, StringComparison.Ordinal).Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal);
        var defaults = Path.Combine(RepositoryPaths.Root, "packaging", "00-defaults.json");

        var result = OptionsLoader.Load([new ConfigFile(defaults, File.ReadAllText(defaults))], environment);

        Assert.Empty(result.Errors);
        var options = Assert.IsType<NodeDaemonOptions>(result.Options);
        Assert.Equal($"{CredentialsDirectory}/pull-secret", options.AuthFile);
        Assert.Equal($"{CredentialsDirectory}/kubeconfig", options.Kubeconfig);
    }

    [Fact]
    public void RegistryCredentialsReachRpmOstreeThroughTheRuntimeDirectory()
    {
        // rpm-ostreed reads /run/ostree/auth.json (AuthFileInstaller.RpmOstreeAuthPath). The daemon writes that path
        // inside its namespace, where /run/ostree is bound to its runtime directory; on the host the tmpfiles.d symlink
        // at that path points into the same directory.
        var tmpfiles = File.ReadAllLines(Path.Combine(RepositoryPaths.Root, "packaging", "nodedaemon.tmpfiles"))
            .Where(line => line.Length > 0 && line[0] != '#')
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToArray();

        var link = Assert.Single(tmpfiles);
        Assert.Equal(["L", "/run/ostree/auth.json", "-", "-", "-", "-", "/run/nodedaemon/registry/auth.json"], link);
        Assert.Contains("BindPaths=/run/nodedaemon/registry:/run/ostree", s_unit);
        Assert.Contains("RuntimeDirectory=nodedaemon nodedaemon/registry", s_unit);
        Assert.DoesNotContain(s_unit, line => line.StartsWith("ReadWritePaths=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TmpfilesMakesTheSymlinkAndTheDirectoryItSitsIn()
    {
        using var root = new Support.TempDirectory();

        // As at boot (systemd-tmpfiles-setup.service) and in %post, into a scratch root instead of this machine's.
        (await Support.Tool.RunAsync(Support.Tool.OnPath("systemd-tmpfiles"), "--root=" + root.Path, "--create",
            Path.Combine(RepositoryPaths.Root, "packaging", "nodedaemon.tmpfiles"))).EnsureSuccess();

        var link = new FileInfo(root.Combine("run", "ostree", "auth.json"));
        Assert.Equal("/run/nodedaemon/registry/auth.json", link.LinkTarget);
    }

    [Theory]
    [InlineData("/var/lib/kubelet")]
    [InlineData("/etc/kubernetes")]
    [InlineData("/var/lib/etcd")]
    [InlineData("/etc/ostree")]
    public void HostSecretsAreInaccessible(string path)
    {
        var hidden = s_unit
            .Where(line => line.StartsWith("InaccessiblePaths=", StringComparison.Ordinal))
            .SelectMany(line => line["InaccessiblePaths=".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries));

        // "-": a host without that path still starts the unit.
        Assert.Contains("-" + path, hidden);
    }
}
