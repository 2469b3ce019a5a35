using System.Text.Json.Nodes;
using NodeDaemon.Core.Images;
using NodeDaemon.Tests.Shared;

namespace NodeDaemon.RpmOstree.Tests;

/// <summary>Every real status capture, served by the simulator, reads back over D-Bus as the JSON says.</summary>
public sealed class StatusReadTests
{
    public static TheoryData<string> Fixtures => new(Directory.GetFiles(RepositoryPaths.RpmOstreeStatusFolder(), "*.json")
        .Select(Path.GetFileName).Order(StringComparer.Ordinal)!);

    [Theory]
    [MemberData(nameof(Fixtures))]
    public async Task Reads_booted_staged_and_rollback_as_the_capture_holds(string fixture)
    {
        await using var world = await HostWorld.StartAsync(fixture);
        var deployments = ((JsonObject)JsonNode.Parse(File.ReadAllText(RepositoryPaths.RpmOstreeStatus(fixture)))!)["deployments"]!
            .AsArray().OfType<JsonObject>().ToList();
        var booted = deployments.Single(d => (bool?)d["booted"] == true);
        var staged = deployments.SingleOrDefault(d => (bool?)d["staged"] == true);

        var status = await world.Client().ReadStatusAsync(CancellationToken.None);

        Assert.Equal((string?)booted["checksum"], status.Booted.Checksum);
        Assert.Equal((string?)booted["id"], status.Booted.Id);
        Assert.Equal((string?)booted["container-image-reference"], status.Booted.ContainerImageReference);
        Assert.Equal((string?)booted["container-image-reference-digest"], status.Booted.ImageDigest?.ToString());
        Assert.Equal((string?)booted["version"], status.Booted.Version);
        Assert.Equal((string?)booted["origin"], status.Booted.Origin);
        Assert.Equal((long?)booted["timestamp"], status.Booted.Timestamp?.ToUnixTimeSeconds());
        Assert.True(status.Booted.Booted);
        Assert.Equal((string?)staged?["checksum"], status.Staged?.Checksum);
        Assert.Equal((string?)staged?["container-image-reference-digest"], status.Staged?.ImageDigest?.ToString());
        Assert.Null(status.ActiveTransaction);
        var bootedIndex = deployments.IndexOf(booted);
        var rollback = deployments.Skip(bootedIndex + 1).FirstOrDefault();
        Assert.Equal((string?)rollback?["checksum"], status.Rollback?.Checksum);
    }

    [Fact]
    public async Task The_container_stage_of_fcos_is_typed()
    {
        await using var world = await HostWorld.StartAsync("fcos-container-status.json");

        var status = await world.Client().ReadStatusAsync(CancellationToken.None);

        Assert.Equal(Digest.Parse("sha256:25d3a07d53835c6c738fb4dcba149dc0b64a9bc4ec9c3431750cabd3596ab233"), status.Staged!.ImageDigest);
        Assert.True(status.Staged.Staged);
        Assert.Null(status.Staged.Origin);
        Assert.Equal("quay.io/fedora/fedora-coreos", status.Staged.Image?.Name);
        Assert.Empty(status.Warnings);
    }

    [Fact]
    public async Task No_daemon_on_the_bus_is_a_clear_unavailable_error()
    {
        await using var world = await HostWorld.StartAsync();
        world.Sim.Kill();

        var error = await Assert.ThrowsAsync<NodeDaemon.Core.Host.HostException>(() => world.Client().ReadStatusAsync(CancellationToken.None));

        Assert.Equal(NodeDaemon.Core.Host.HostErrorKind.Unavailable, error.Kind);
        Assert.Contains("rpm-ostreed is not reachable", error.Message, StringComparison.Ordinal);
    }
}
