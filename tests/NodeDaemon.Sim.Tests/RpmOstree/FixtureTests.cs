using System.Text.Json.Nodes;
using NodeDaemon.Tests.Shared;

namespace NodeDaemon.Sim.Tests.RpmOstree;

/// <summary>Every real status document loads and reads back over D-Bus with the facts the JSON holds.</summary>
public sealed class FixtureTests
{
    public static TheoryData<string> Fixtures() =>
        [.. Directory.GetFiles(RepositoryPaths.RpmOstreeStatusFolder(), "*.json").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Fixtures))]
    public async Task Deployments_over_dbus_match_the_fixture(string fixture)
    {
        var json = JsonNode.Parse(await File.ReadAllTextAsync(RepositoryPaths.RpmOstreeStatus(fixture)))!;
        var expected = json["deployments"]!.AsArray().OrderBy(d => (bool?)d!["staged"] == true ? 0 : 1).ToList();
        await using var world = await SimWorld.StartAsync(fixture);
        var osName = (string)expected.First(d => (bool)d!["booted"]!)!["osname"]!;
        var osPath = "/org/projectatomic/rpmostree1/" + osName.Replace('-', '_');

        var live = await Busctl.DeploymentsAsync(world.Bus.Address);
        Assert.Equal(expected.Count, live.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            foreach (var key in new[] { "id", "checksum", "container-image-reference", "container-image-reference-digest", "version", "origin" })
            {
                Assert.Equal((string?)expected[i]![key], (string?)Busctl.Value(live[i]!, key));
            }

            Assert.Equal((bool?)expected[i]!["booted"] ?? false, (bool?)Busctl.Value(live[i]!, "booted") ?? false);
            Assert.Equal((bool?)expected[i]!["staged"] ?? false, (bool?)Busctl.Value(live[i]!, "staged") ?? false);
            Assert.Equal("i", (string?)live[i]!["serial"]!["type"]);
            Assert.Equal("t", (string?)live[i]!["timestamp"]!["type"]);
        }

        var booted = (await Busctl.GetPropertyAsync(world.Bus.Address, osPath, SimWorld.OsIface, "BootedDeployment"))["data"]!;
        var bootedJson = expected.First(d => (bool)d!["booted"]!)!;
        Assert.Equal((string?)bootedJson["checksum"], (string?)Busctl.Value(booted, "checksum"));
        Assert.Equal((string?)bootedJson["container-image-reference-digest"], (string?)Busctl.Value(booted, "container-image-reference-digest"));
        var bootedPath = await Busctl.GetPropertyAsync(world.Bus.Address, SimWorld.SysrootPath, SimWorld.SysrootIface, "Booted");
        Assert.Equal(osPath, (string?)bootedPath["data"]);
    }
}
