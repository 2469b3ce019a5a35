using System.Text.Json.Nodes;
using NodeDaemon.Sim.Harness;
using NodeDaemon.Sim.RpmOstree;
using NodeDaemon.Tests.Shared;

namespace NodeDaemon.Sim.Tests.RpmOstree;

/// <summary>The <c>host-fallback</c> fault: the bootloader boots the deployment after the default (greenboot's GRUB
/// countdown), and greenboot's check-fallback service makes it permanent with a rollback.</summary>
public sealed class HostFallbackTests
{
    // fcos-container-status.json stages this image over a booted deployment of another commit.
    private const string StagedDigest = "sha256:25d3a07d53835c6c738fb4dcba149dc0b64a9bc4ec9c3431750cabd3596ab233";

    [Theory]
    [InlineData("""{"host-fallback": "sha256:25d3a07d53835c6c738fb4dcba149dc0b64a9bc4ec9c3431750cabd3596ab233"}""")]
    [InlineData("""{"host-fallback": ["sha256:25d3a07d53835c6c738fb4dcba149dc0b64a9bc4ec9c3431750cabd3596ab233"]}""")]
    [InlineData("""{"host-fallback": {"digest": "sha256:25d3a07d53835c6c738fb4dcba149dc0b64a9bc4ec9c3431750cabd3596ab233", "rollback": false}}""")]
    public void A_boot_into_a_faulted_digest_boots_the_next_deployment(string faults)
    {
        var doc = Unlocked();
        var (staged, old) = ((string?)doc["deployments"]![0]!["checksum"], (string?)doc["deployments"]![1]!["checksum"]);

        var summary = BootTransition.Apply(doc, BootFaults.Parse(JsonNode.Parse(faults)));

        Assert.Equal("applied", summary.Staged);
        Assert.Equal(old, summary.BootedChecksum);
        var deps = doc["deployments"]!.AsArray();
        // The bootloader changed nothing on disk: the new deployment is still the default, only not booted.
        Assert.Equal([staged, old], deps.Select(d => (string?)d!["checksum"]));
        Assert.Equal([false, true], deps.Select(d => (bool)d!["booted"]!));
        Assert.Equal(StagedDigest, (string?)doc["nodedaemon-sim"]![BootTransition.FallbackKey]!["digest"]);
    }

    [Fact]
    public void Another_digest_boots_normally_and_clears_an_old_fallback_note()
    {
        var doc = Unlocked();
        doc["nodedaemon-sim"]![BootTransition.FallbackKey] = new JsonObject { ["digest"] = "sha256:old" };
        var faults = BootFaults.Parse(JsonNode.Parse("""{"host-fallback": {"digests": ["sha256:0000000000000000000000000000000000000000000000000000000000000000"]}}"""));

        var summary = BootTransition.Apply(doc, faults);

        Assert.Equal(StagedDigest, summary.BootedDigest);
        Assert.Null(doc["nodedaemon-sim"]![BootTransition.FallbackKey]);
    }

    [Fact]
    public void A_fault_that_is_not_a_digest_is_refused()
    {
        Assert.Throws<InvalidDataException>(() => BootFaults.Parse(JsonNode.Parse("""{"host-fallback": ["quay.io/x:latest"]}""")));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_simulator_that_comes_up_after_it_runs_greenboots_rollback_unless_told_not_to(bool rollback)
    {
        using var dir = new TempDirectory("nodedaemon-fallback-");
        var doc = Unlocked();
        var (staged, old) = ((string)doc["deployments"]![0]!["checksum"]!, (string)doc["deployments"]![1]!["checksum"]!);
        BootTransition.Apply(doc, new BootFaults(false, new HashSet<string> { StagedDigest }, rollback));
        var state = dir.File("status.json");
        await File.WriteAllTextAsync(state, doc.ToJsonString());

        await using var world = await SimWorld.StartAsync(state);

        var booted = await Busctl.GetPropertyAsync(world.Bus.Address, SimWorld.OsPath, SimWorld.OsIface, "BootedDeployment");
        Assert.Equal(old, (string?)Busctl.Value(booted["data"]!, "checksum"));
        var next = rollback ? old : staged;
        var def = await Busctl.GetPropertyAsync(world.Bus.Address, SimWorld.OsPath, SimWorld.OsIface, "DefaultDeployment");
        Assert.Equal(next, (string?)Busctl.Value(def["data"]!, "checksum"));
        var back = await Busctl.GetPropertyAsync(world.Bus.Address, SimWorld.OsPath, SimWorld.OsIface, "RollbackDeployment");
        Assert.Equal(rollback ? staged : null, (string?)Busctl.Value(back["data"]!, "checksum"));
        var fallback = Assert.Single(world.Sim.Events, e => e.Event == "host-fallback");
        Assert.Equal(StagedDigest, (string?)fallback.Fields["digest"]);

        // A restart of rpm-ostreed later in the same boot does not roll back again.
        await world.Sim.RestartAsync();
        Assert.Equal(next, (string?)StateFile.Read(world.Sim.StatePath)["deployments"]![0]!["checksum"]);
    }

    private static JsonObject Unlocked()
    {
        var doc = (JsonObject)JsonNode.Parse(File.ReadAllText(RepositoryPaths.RpmOstreeStatus("fcos-container-status.json")))!;
        doc["nodedaemon-sim"] = new JsonObject { ["staged-locked"] = false };
        return doc;
    }
}
