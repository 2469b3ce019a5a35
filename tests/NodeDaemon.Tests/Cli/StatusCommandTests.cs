using System.Text.Json.Nodes;
using NodeDaemon.Sim.Harness;
using NodeDaemon.Tests.Shared;
using NodeDaemon.Tests.Support;

namespace NodeDaemon.Tests.Cli;

/// <summary><c>nodedaemon status --json</c>, the real process, against the simulator seeded with every real capture.</summary>
public sealed class StatusCommandTests : IDisposable
{
    private readonly DirectoryInfo _config = Directory.CreateTempSubdirectory("nodedaemon-status-");

    public static TheoryData<string> Fixtures => new(Directory.GetFiles(RepositoryPaths.RpmOstreeStatusFolder(), "*.json")
        .Select(Path.GetFileName).Order(StringComparer.Ordinal)!);

    [Theory]
    [MemberData(nameof(Fixtures))]
    public async Task Prints_the_booted_and_staged_images_and_digests(string fixture)
    {
        using var bus = await PrivateBus.StartAsync();
        using var sim = await RpmOstreedProcess.StartAsync(bus, new RpmOstreedOptions(RepositoryPaths.RpmOstreeStatus(fixture)));
        var deployments = JsonNode.Parse(File.ReadAllText(RepositoryPaths.RpmOstreeStatus(fixture)))!["deployments"]!.AsArray();
        var booted = deployments.Single(d => (bool?)d!["booted"] == true)!;
        var staged = deployments.SingleOrDefault(d => (bool?)d!["staged"] == true);

        using var daemon = TestDaemon.Start(["status", "--json", "--config-dir", _config.FullName],
            new Dictionary<string, string> { ["DBUS_SYSTEM_BUS_ADDRESS"] = bus.Address });
        Assert.Equal(0, daemon.WaitForExit(TimeSpan.FromSeconds(30)));
        var status = JsonNode.Parse(daemon.Stdout)!;

        Assert.Equal((string?)booted["container-image-reference"], (string?)status["booted"]!["image"]);
        Assert.Equal((string?)booted["container-image-reference-digest"], (string?)status["booted"]!["digest"]);
        Assert.Equal((string?)booted["checksum"], (string?)status["booted"]!["checksum"]);
        Assert.Equal((string?)staged?["container-image-reference"], (string?)status["staged"]?["image"]);
        Assert.Equal((string?)staged?["container-image-reference-digest"], (string?)status["staged"]?["digest"]);
        Assert.Null((string?)status["transaction"]);
    }

    [Fact]
    public async Task A_stage_pinned_by_a_multi_arch_index_shows_the_index_and_the_platform_digest()
    {
        var index = "sha256:" + new string('1', 64);
        var state = JsonNode.Parse(File.ReadAllText(RepositoryPaths.RpmOstreeStatus("fcos-container-status.json")))!.AsObject();
        var staged = state["deployments"]!.AsArray().Single(d => (bool?)d!["staged"] == true || (bool?)d!["booted"] == false)!;
        var platform = (string)staged["container-image-reference-digest"]!;
        staged["container-image-reference"] = $"ostree-unverified-registry:quay.io/fedora/fedora-coreos@{index}";
        // Not in the config directory: every *.json there is read as a drop-in.
        using var dir = new TempDirectory("nodedaemon-status-state-");
        var path = dir.File("index-pinned-status.json");
        File.WriteAllText(path, state.ToJsonString());
        using var bus = await PrivateBus.StartAsync();
        using var sim = await RpmOstreedProcess.StartAsync(bus, new RpmOstreedOptions(path));

        using var json = TestDaemon.Start(["status", "--json", "--config-dir", _config.FullName],
            new Dictionary<string, string> { ["DBUS_SYSTEM_BUS_ADDRESS"] = bus.Address });
        Assert.True(json.WaitForExit(TimeSpan.FromSeconds(30)) == 0, json.Stderr);
        using var text = TestDaemon.Start(["status", "--config-dir", _config.FullName],
            new Dictionary<string, string> { ["DBUS_SYSTEM_BUS_ADDRESS"] = bus.Address });
        Assert.True(text.WaitForExit(TimeSpan.FromSeconds(30)) == 0, text.Stderr + text.Stdout);

        var shown = JsonNode.Parse(json.Stdout)!.AsObject().Select(p => p.Value).OfType<JsonObject>().Single(d => (string?)d["indexDigest"] is not null);
        Assert.Equal(index, (string?)shown["indexDigest"]);
        Assert.Equal(platform, (string?)shown["digest"]);
        Assert.Null((string?)JsonNode.Parse(json.Stdout)!["booted"]!["indexDigest"]);
        Assert.Contains($"  digest:  {platform}\n  index:   {index} (the reference pins a multi-arch index", text.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Shows_the_nodes_desired_image_and_state_when_the_API_answers()
    {
        await using var node = await EndToEnd.SimulatedNode.StartAsync();
        node.Annotate("nodedaemon.io/desired-image", "quay.io/example/os@sha256:" + new string('9', 64));
        node.Annotate("nodedaemon.io/state", "Working");

        using var daemon = TestDaemon.Start(["status", "--json", "--config-dir", node.ConfigDirectory],
            new Dictionary<string, string> { ["DBUS_SYSTEM_BUS_ADDRESS"] = node.Bus.Address });
        Assert.Equal(0, daemon.WaitForExit(TimeSpan.FromSeconds(30)));
        var status = JsonNode.Parse(daemon.Stdout)!;

        Assert.Equal("quay.io/example/os@sha256:" + new string('9', 64), (string?)status["node"]!["desiredImage"]);
        Assert.Equal("Working", (string?)status["node"]!["state"]);
        Assert.Null((string?)status["node"]!["error"]);
    }

    [Fact]
    public void Without_rpm_ostreed_or_bootc_it_says_so_and_exits_1()
    {
        using var daemon = TestDaemon.Start(["status", "--config-dir", _config.FullName],
            new Dictionary<string, string> { ["DBUS_SYSTEM_BUS_ADDRESS"] = "unix:path=/nonexistent/bus.sock", ["PATH"] = "/nonexistent" });

        Assert.Equal(1, daemon.WaitForExit(TimeSpan.FromSeconds(30)));
        Assert.Contains("rpm-ostreed does not answer on unix:path=/nonexistent/bus.sock and bootc is not on the PATH", daemon.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void With_the_rpm_ostree_backend_set_an_absent_daemon_is_not_reachable()
    {
        File.WriteAllText(Path.Combine(_config.FullName, "10-backend.json"), """{"backend": "rpmOstree"}""");
        using var daemon = TestDaemon.Start(["status", "--config-dir", _config.FullName],
            new Dictionary<string, string> { ["DBUS_SYSTEM_BUS_ADDRESS"] = "unix:path=/nonexistent/bus.sock" });

        Assert.Equal(1, daemon.WaitForExit(TimeSpan.FromSeconds(30)));
        Assert.Contains("rpm-ostreed is not reachable", daemon.Stderr, StringComparison.Ordinal);
    }

    public void Dispose() => _config.Delete(recursive: true);
}
