using System.Text.Json.Nodes;
using NodeDaemon.Sim.KubeApi;
using static NodeDaemon.Tests.Cli.Rollout.RolloutViewBuilderTests;

namespace NodeDaemon.Tests.Cli.Rollout;

/// <summary><c>nodedaemon rollout status</c> through the real command tree against the test API server, with the admin's kubeconfig.</summary>
public sealed class RolloutStatusCliTests : IAsyncLifetime
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("nodedaemon-rollout-");
    private TestApiServer? _server;

    private TestApiServer Server => _server!;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _dir.Delete(recursive: true);
    }

    [Fact]
    public async Task Status_prints_the_pool_as_json_and_yaml()
    {
        await StartAsync(Node("a", current: New, state: "Done"), Node("b", phase: "Draining"), Node("c", phase: "WaitingForSlot"));
        var json = Run("rollout", "status", "-o", "json");
        Assert.True(json.ExitCode == 0, json.Error);
        var pool = JsonNode.Parse(json.Output)!["pools"]![0]!;
        Assert.Equal("workers", (string?)pool["pool"]);
        Assert.Equal(1, (int?)pool["counts"]!["Done"]);
        Assert.Equal(1, (int?)pool["counts"]!["Draining"]);
        Assert.Equal(1, (int?)pool["counts"]!["Waiting"]);
        Assert.Equal("Progressing", (string?)pool["outcome"]);

        var yaml = Run("rollout", "status", "-o", "yaml");
        Assert.Contains("- pool: \"workers\"\n    nodes: 3\n", yaml.Output, StringComparison.Ordinal);
        Assert.Contains("\n    counts:\n      Done: 1\n", yaml.Output, StringComparison.Ordinal);
        // The time's offset as written, not JSON's HTML-safe \u002B.
        Assert.Matches("\ntime: \"[0-9T:.-]+\\+00:00\"\n", yaml.Output);
    }

    [Fact]
    public async Task Watch_exits_0_once_the_pool_converged()
    {
        await StartAsync(Node("a", current: New, state: "Done"), Node("b", current: New, state: "Done"));
        var result = Run("rollout", "status", "--watch", "--timeout", "60s");
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("2/2 Done", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_exits_1_naming_the_failed_node_when_the_pool_halted()
    {
        await StartAsync(Node("a", state: "Degraded", reason: "booted sha256:1 instead of sha256:2"), Node("b", phase: "WaitingForSlot"));
        var result = Run("rollout", "status", "--watch", "--timeout", "60s");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("error: rollout of pool workers halted: a Degraded: booted sha256:1 instead of sha256:2", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_exits_1_when_the_timeout_passed()
    {
        await StartAsync(Node("a", phase: "Draining"));
        var result = Run("rollout", "status", "--watch", "--timeout", "1s");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("error: timed out waiting for the condition", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_context_is_one_error_line()
    {
        await StartAsync(Node("a"));
        var result = Run("rollout", "status", "--context", "nowhere");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("context \"nowhere\"", result.Error, StringComparison.Ordinal);
    }

    private async Task StartAsync(params JsonObject[] nodes)
    {
        var items = new JsonArray();
        foreach (var node in nodes)
        {
            node["apiVersion"] = "v1";
            node["kind"] = "Node";
            items.Add(node);
        }

        _server = await TestApiServer.StartAsync(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "List", ["items"] = items },
            new TestApiServerOptions { KubeconfigPath = Path.Combine(_dir.FullName, "kubeconfig") });
        File.WriteAllText(Path.Combine(_dir.FullName, "fleet.json"), """{"fleet": {"enabled": true, "poolLabel": "nodedaemon.io/pool"}}""");
    }

    private CliRunner.Result Run(params string[] args) =>
        CliRunner.Run([.. args, "--kubeconfig", Server.KubeconfigPath, "--config-dir", _dir.CreateSubdirectory("conf.d").FullName,
            "--config", Path.Combine(_dir.FullName, "fleet.json")]);
}
