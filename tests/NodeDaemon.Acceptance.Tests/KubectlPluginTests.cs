using System.Diagnostics;
using System.Text.Json.Nodes;
using NodeDaemon.Sim.KubeApi;
using NodeDaemon.Tests.Shared;

namespace NodeDaemon.Acceptance.Tests;

/// <summary>Real kubectl finds the published binary as the plugin <c>kubectl-nodedaemon</c> (a link on the PATH, as the RPM ships it)
/// and runs <c>kubectl nodedaemon rollout status</c> against the test API server.</summary>
public sealed class KubectlPluginTests : IAsyncLifetime
{
    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(60);
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("nodedaemon-kubectl-plugin-");
    private TestApiServer? _server;

    public async Task InitializeAsync()
    {
        const string image = "quay.io/example/os@sha256:2222222222222222222222222222222222222222222222222222222222222222";
        var node = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Node",
            ["metadata"] = new JsonObject
            {
                ["name"] = "worker-1",
                ["labels"] = new JsonObject { ["nodedaemon.io/pool"] = "workers" },
                ["annotations"] = new JsonObject
                {
                    ["nodedaemon.io/desired-image"] = image,
                    ["nodedaemon.io/current-image"] = image,
                    ["nodedaemon.io/state"] = "Done",
                    ["nodedaemon.io/phase"] = "Idle",
                },
            },
        };
        _server = await TestApiServer.StartAsync(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "List", ["items"] = new JsonArray(node) },
            new TestApiServerOptions { KubeconfigPath = Path.Combine(_dir.FullName, "kubeconfig") });
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _dir.Delete(recursive: true);
    }

    [Fact]
    public async Task Kubectl_runs_rollout_status_through_the_plugin_link()
    {
        var binary = Environment.GetEnvironmentVariable("SCENARIO_DAEMON_BINARY") ?? Path.Combine(RepositoryPaths.Root, "artifacts", "bin", "nodedaemon");
        Assert.True(File.Exists(binary), $"{binary} is missing: run ./build.sh publish (./build.sh test does)");
        var bin = _dir.CreateSubdirectory("bin");
        File.CreateSymbolicLink(Path.Combine(bin.FullName, "kubectl-nodedaemon"), Path.GetFullPath(binary));
        var config = Path.Combine(_dir.FullName, "fleet.json");
        File.WriteAllText(config, """{"fleet": {"enabled": true, "poolLabel": "nodedaemon.io/pool"}}""");

        var start = new ProcessStartInfo("kubectl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])["nodedaemon", "rollout", "status", "--watch", "--timeout", "30s",
            "--config-dir", _dir.CreateSubdirectory("conf.d").FullName, "--config", config])
        {
            start.ArgumentList.Add(arg);
        }

        // kubectl passes its environment to the plugin: KUBECONFIG reaches it as it reaches kubectl.
        start.Environment["PATH"] = bin.FullName + ":" + Environment.GetEnvironmentVariable("PATH");
        start.Environment["KUBECONFIG"] = _server!.KubeconfigPath;
        using var kubectl = Process.Start(start)!;
        var output = kubectl.StandardOutput.ReadToEndAsync();
        var error = kubectl.StandardError.ReadToEndAsync();
        using var bound = new CancellationTokenSource(s_bound);
        try
        {
            await kubectl.WaitForExitAsync(bound.Token);
        }
        catch (OperationCanceledException)
        {
            kubectl.Kill(entireProcessTree: true);
            Assert.Fail("kubectl nodedaemon did not end within the bound");
        }

        Assert.True(kubectl.ExitCode == 0, $"exit {kubectl.ExitCode}: {await error}");
        var text = await output;
        Assert.Contains("pool nodedaemon.io/pool=workers: 1/1 Done", text, StringComparison.Ordinal);
        Assert.Contains("converged", text, StringComparison.Ordinal);
    }
}
