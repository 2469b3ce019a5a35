using NodeDaemon.Sim.Harness;
using NodeDaemon.Tests.EndToEnd;

namespace NodeDaemon.Tests.Hosting;

/// <summary>A kubeconfig the Kubernetes client cannot read stops the daemon with exit code 1 and one line naming it, so
/// that systemd's Restart=on-failure starts it again (exit code 0 is a clean exit, never restarted).</summary>
public sealed class StartupFailureTests
{
    private const string Head = "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: https://127.0.0.1:6443\n";
    private const string Tail = "users:\n- name: u\n  user:\n    token: t\ncontexts:\n- name: x\n  context:\n    cluster: c\n    user: u\ncurrent-context: x\n";

    /// <summary>The kubeconfigs: a file's content, or (<c>@</c>) a path to use as it is.</summary>
    public static TheoryData<string, string> Kubeconfigs() => new()
    {
        { "bad base64", Head + "    certificate-authority-data: '%%% not base64 %%%'\n" + Tail },
        { "bad YAML", "apiVersion: v1\nclusters: [ {\n  - : :\n" },
        { "bad PEM", Head + "    certificate-authority-data: " + Convert.ToBase64String("-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n"u8.ToArray()) + "\n" + Tail },
        { "/dev/zero", "@/dev/zero" },
    };

    [Theory]
    [MemberData(nameof(Kubeconfigs))]
    public async Task A_kubeconfig_that_does_not_load_exits_1_with_one_line_naming_it(string what, string kubeconfig)
    {
        using var notify = new NotifyCollector();
        await using var node = await SimulatedNode.StartAsync();
        var path = kubeconfig.StartsWith('@') ? kubeconfig[1..] : Path.Combine(node.ConfigDirectory, "..", "bad-kubeconfig");
        if (!kubeconfig.StartsWith('@'))
        {
            await File.WriteAllTextAsync(path, kubeconfig);
        }

        await File.WriteAllTextAsync(Path.Combine(node.ConfigDirectory, "30-kubeconfig.json"), $$"""{ "kubeconfig": "{{path}}" }""");
        node.StartDaemon(notify.SocketPath);

        var exit = node.Daemon.WaitForExit(TimeSpan.FromSeconds(60));

        Assert.True(exit == 1, $"{what}: exit code {exit?.ToString() ?? "none (still running)"}; stderr: {node.Daemon.Stderr}");
        var lines = node.Daemon.Stderr.Split('\n').Where(l => l.Contains("cannot start: kubeconfig", StringComparison.Ordinal)).ToList();
        Assert.Single(lines);
        Assert.DoesNotContain("BackgroundService", node.Daemon.Stderr, StringComparison.Ordinal);
        Assert.False(node.Daemon.Stderr.Contains("   at ", StringComparison.Ordinal), $"a stack trace: {node.Daemon.Stderr}");
    }

    [Fact]
    public async Task A_certificate_authority_file_that_is_a_FIFO_exits_1_naming_it_instead_of_hanging()
    {
        using var notify = new NotifyCollector();
        await using var node = await SimulatedNode.StartAsync();
        NodeDaemon.Tests.Shared.Fifo.Create(Path.Combine(node.ConfigDirectory, "..", "ca.crt"));

        var path = Path.Combine(node.ConfigDirectory, "..", "fifo-ca-kubeconfig");
        await File.WriteAllTextAsync(path, Head + "    certificate-authority: ca.crt\n" + Tail);
        await File.WriteAllTextAsync(Path.Combine(node.ConfigDirectory, "30-kubeconfig.json"), $$"""{ "kubeconfig": "{{path}}" }""");
        node.StartDaemon(notify.SocketPath);

        // The client library would open the FIFO and wait for a writer for ever.
        var exit = node.Daemon.WaitForExit(TimeSpan.FromSeconds(60));

        Assert.True(exit == 1, $"exit code {exit?.ToString() ?? "none (still running)"}; stderr: {node.Daemon.Stderr}");
        var line = Assert.Single(node.Daemon.Stderr.Split('\n'), l => l.Contains("cannot start: kubeconfig", StringComparison.Ordinal));
        Assert.Contains("certificate-authority file", line, StringComparison.Ordinal);
        Assert.Contains("a FIFO (named pipe), not a regular file", line, StringComparison.Ordinal);
    }
}
