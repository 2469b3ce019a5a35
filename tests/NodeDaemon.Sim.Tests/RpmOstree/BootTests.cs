using System.Text.Json.Nodes;
using NodeDaemon.Sim.Harness;
using NodeDaemon.Sim.RpmOstree;
using NodeDaemon.Tests.Shared;

namespace NodeDaemon.Sim.Tests.RpmOstree;

/// <summary>The boot verb: what a reboot does to the staged, booted and rollback deployments.</summary>
public sealed class BootTests
{
    private static readonly string s_dll = Path.Combine(AppContext.BaseDirectory, "nodedaemon-sim.dll");

    [Fact]
    public void Locked_stage_is_dropped_and_the_old_deployment_boots_again()
    {
        var doc = Load("fcos-container-status.json");
        var booted = (string?)doc["deployments"]![1]!["checksum"];
        doc["nodedaemon-sim"] = new JsonObject { ["staged-locked"] = true, ["boot-count"] = 3 };

        var summary = BootTransition.Apply(doc, finalizationLost: false);

        Assert.Equal("dropped-locked", summary.Staged);
        Assert.Equal(booted, summary.BootedChecksum);
        Assert.Equal(4, summary.BootCount);
        Assert.Single(doc["deployments"]!.AsArray());
    }

    [Fact]
    public void Unlocked_stage_boots_and_the_old_one_becomes_rollback()
    {
        var doc = Load("zincati-rpm-ostree-staged.json");
        var staged = (string?)doc["deployments"]![0]!["checksum"];
        var old = (string?)doc["deployments"]![1]!["checksum"];
        doc["nodedaemon-sim"] = new JsonObject { ["staged-locked"] = false, ["reboot-requested"] = new JsonObject { ["by"] = "x" } };

        var summary = BootTransition.Apply(doc, finalizationLost: false);

        Assert.Equal("applied", summary.Staged);
        var deps = doc["deployments"]!.AsArray();
        Assert.Equal([staged, old], deps.Select(d => (string?)d!["checksum"]));
        Assert.Equal([true, false], deps.Select(d => (bool)d!["booted"]!));
        Assert.All(deps, d => Assert.False((bool)d!["staged"]!));
        Assert.Null(doc["nodedaemon-sim"]!["reboot-requested"]);
        Assert.Matches("^[0-9a-f]{32}$", summary.BootId);
    }

    [Fact]
    public void Lost_finalization_drops_even_an_unlocked_stage()
    {
        var doc = Load("fcos-container-status.json");
        doc["nodedaemon-sim"] = new JsonObject { ["staged-locked"] = false };
        Assert.Equal("dropped-finalization-lost", BootTransition.Apply(doc, finalizationLost: true).Staged);
    }

    [Fact]
    public void Without_a_stage_the_list_stays_and_the_default_boots()
    {
        var doc = Load("workstation-status.json");
        var first = (string?)doc["deployments"]![0]!["checksum"];
        var summary = BootTransition.Apply(doc, finalizationLost: false);
        Assert.Equal("none", summary.Staged);
        Assert.Equal(first, summary.BootedChecksum);
        Assert.Equal(2, doc["deployments"]!.AsArray().Count);
    }

    [Fact]
    public void A_reboot_after_a_rollback_boots_deployment_0_and_prunes_nothing()
    {
        // [rollback target, booted, older]: what Rollback leaves with three deployments. No stage is finalized, so
        // ostree writes no new list at shutdown and the older deployment stays.
        var doc = Load("workstation-status.json");
        var deps = doc["deployments"]!.AsArray();
        var older = deps[1]!.DeepClone().AsObject();
        older["checksum"] = new string('c', 64);
        deps.Add(older);
        var booted = deps[0]!.DeepClone();
        deps.RemoveAt(0);
        deps.Insert(1, booted);

        var summary = BootTransition.Apply(doc, finalizationLost: false);

        Assert.Equal((string?)deps[0]!["checksum"], summary.BootedChecksum);
        Assert.Equal(3, doc["deployments"]!.AsArray().Count);
        Assert.Equal([true, false, false], doc["deployments"]!.AsArray().Select(d => (bool)d!["booted"]!));
    }

    [Fact]
    public async Task Boot_verb_edits_the_state_file_and_prints_a_summary()
    {
        using var dir = new TempDirectory("nodedaemon-boot-");
        var state = dir.File("status.json");
        File.Copy(RepositoryPaths.RpmOstreeStatus("fcos-container-status.json"), state);

        var result = await Tool.RunAsync("dotnet", [s_dll, "boot", "--state", state], TimeSpan.FromSeconds(20));

        Assert.True(result.ExitCode == 0, result.StandardError);
        var summary = JsonNode.Parse(result.StandardOutput)!;
        Assert.Equal("applied", (string?)summary["staged"]);
        Assert.Equal("sha256:25d3a07d53835c6c738fb4dcba149dc0b64a9bc4ec9c3431750cabd3596ab233", (string?)summary["booted-digest"]);
        Assert.True((bool?)StateFile.Read(state)["deployments"]![0]!["booted"]);
        Assert.Equal(1, (int?)StateFile.Sim(state)["boot-count"]);
    }

    [Fact]
    public async Task Help_documents_every_option()
    {
        var rpm = await Tool.RunAsync("dotnet", [s_dll, "rpm-ostreed", "--help"], TimeSpan.FromSeconds(20));
        foreach (var option in new[] { "--bus", "--state", "--registry", "--faults", "--osname", "--run-dir", "--speed" })
        {
            Assert.Contains(option, rpm.StandardOutput, StringComparison.Ordinal);
        }

        var boot = await Tool.RunAsync("dotnet", [s_dll, "boot", "--help"], TimeSpan.FromSeconds(20));
        Assert.Contains("--state", boot.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("--faults", boot.StandardOutput, StringComparison.Ordinal);
    }

    private static JsonObject Load(string fixture) =>
        (JsonObject)JsonNode.Parse(File.ReadAllText(RepositoryPaths.RpmOstreeStatus(fixture)))!;
}
