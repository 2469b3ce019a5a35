using System.Text.Json.Nodes;
using NodeDaemon.Sim.KubeApi;
using NodeDaemon.Sim.KubeApi.Store;
using static NodeDaemon.Tests.Cli.Rollout.RolloutViewBuilderTests;

namespace NodeDaemon.Tests.Cli.Rollout;

/// <summary><c>rollout start</c>, <c>pause</c>, <c>resume</c> and <c>undo</c> through the real command tree against the test API server.</summary>
public sealed class RolloutStartCliTests : IAsyncLifetime
{
    private const string Tagged = "quay.io/example/os:latest";
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("nodedaemon-rollout-start-");
    private TestApiServer? _server;

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
    public async Task Dry_run_prints_the_plan_and_writes_nothing()
    {
        await StartAsync(Node("a", desired: Old, current: Old, state: "Done"), Node("b", desired: New, current: New, state: "Done"),
            Node("c", desired: null, paused: true), Node("other", pool: "infra"));
        var before = Annotations("a").ToJsonString();
        var result = Run("rollout", "start", "--pool", "workers", New, "--dry-run");
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("pool nodedaemon.io/pool=workers: 3 nodes, 1 at a time (fleet.maxUnavailable 1)", result.Output, StringComparison.Ordinal);
        Assert.Contains($"  a: annotate (now wants {Old})", result.Output, StringComparison.Ordinal);
        Assert.Contains("  b: already there", result.Output, StringComparison.Ordinal);
        Assert.Contains("  c: annotate; paused, waits for rollout resume", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("other", result.Output, StringComparison.Ordinal);
        Assert.Equal(before, Annotations("a").ToJsonString());
    }

    [Fact]
    public async Task A_tag_is_refused_with_the_daemon_s_own_reason_before_anything_is_written()
    {
        await StartAsync(Node("a", desired: Old));
        var result = Run("rollout", "start", "--pool", "workers", Tagged);
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: the daemons would refuse this image: ", result.Error, StringComparison.Ordinal);
        Assert.Contains("digest", result.Error, StringComparison.Ordinal);
        Assert.Equal(Old, (string?)Annotations("a")["nodedaemon.io/desired-image"]);
    }

    [Fact]
    public async Task Start_records_the_previous_image_and_undo_brings_it_back()
    {
        await StartAsync(Node("a", desired: Old, current: Old, state: "Done"), Node("b", desired: null, current: Old, state: "Done"));
        var start = Run("rollout", "start", "--pool", "workers", New);
        Assert.True(start.ExitCode == 0, start.Error);
        Assert.Equal(New, (string?)Annotations("a")["nodedaemon.io/desired-image"]);
        Assert.Equal(Old, (string?)Annotations("a")["nodedaemon.io/rollout-previous-image"]);
        // No desired image before: the booted one is what undo goes back to.
        Assert.Equal(Old, (string?)Annotations("b")["nodedaemon.io/rollout-previous-image"]);
        Assert.NotNull((string?)Annotations("b")["nodedaemon.io/rollout-started-at"]);

        var undo = Run("rollout", "undo", "--pool", "workers");
        Assert.True(undo.ExitCode == 0, undo.Error);
        Assert.Equal(Old, (string?)Annotations("a")["nodedaemon.io/desired-image"]);
        Assert.Equal(Old, (string?)Annotations("b")["nodedaemon.io/desired-image"]);
        Assert.Null(Annotations("a")["nodedaemon.io/rollout-previous-image"]);
    }

    [Fact]
    public async Task Pause_and_resume_set_and_remove_the_paused_annotation()
    {
        await StartAsync(Node("a"), Node("b", paused: true));
        Assert.Equal(0, Run("rollout", "pause", "--pool", "workers").ExitCode);
        Assert.Equal("true", (string?)Annotations("a")["nodedaemon.io/paused"]);
        var resume = Run("rollout", "resume", "--pool", "workers");
        Assert.Equal(0, resume.ExitCode);
        Assert.Null(Annotations("a")["nodedaemon.io/paused"]);
        Assert.Null(Annotations("b")["nodedaemon.io/paused"]);
    }

    [Fact]
    public async Task Neither_pool_nor_selector_is_refused()
    {
        await StartAsync(Node("a"));
        var result = Run("rollout", "pause");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("exactly one of --pool or --selector", result.Error, StringComparison.Ordinal);
    }

    private JsonObject Annotations(string node) => _server!.Store.Get(ResourceTypes.Nodes, null, node)!["metadata"]!["annotations"]!.AsObject();

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
        CliRunner.Run([.. args, "--kubeconfig", _server!.KubeconfigPath, "--config-dir", _dir.CreateSubdirectory("conf.d").FullName,
            "--config", Path.Combine(_dir.FullName, "fleet.json")]);
}
