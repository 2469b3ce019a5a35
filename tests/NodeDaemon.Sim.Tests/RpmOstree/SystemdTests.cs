using System.Text.Json.Nodes;
using NodeDaemon.Sim.Harness;
using NodeDaemon.Sim.RpmOstree;
using NodeDaemon.Testing;
using NodeDaemon.Tests.Shared;

namespace NodeDaemon.Sim.Tests.RpmOstree;

/// <summary>The fake org.freedesktop.systemd1 on the private bus, read with busctl and gdbus (systemd's and GLib's own
/// clients): unit states after a boot, and the <c>unit-failed</c> fault keyed by the booted image digest.</summary>
public sealed class SystemdTests
{
    private const string Systemd = "org.freedesktop.systemd1";
    private const string Manager = "org.freedesktop.systemd1.Manager";
    private const string Unit = "org.freedesktop.systemd1.Unit";
    // fcos-container-status.json's staged image: booted after BootTransition.
    private const string Booted = "sha256:25d3a07d53835c6c738fb4dcba149dc0b64a9bc4ec9c3431750cabd3596ab233";
    private const string Other = "sha256:0000000000000000000000000000000000000000000000000000000000000000";

    [Fact]
    public async Task After_a_healthy_boot_the_units_are_active_and_an_unknown_one_is_not_loaded()
    {
        using var dir = new TempDirectory("nodedaemon-systemd-");
        await using var world = await SimWorld.StartAsync(await BootedStateAsync(dir), faults: Faults(Other, "kubelet.service"));

        Assert.Equal("/org/freedesktop/systemd1/unit/boot_2dcomplete_2etarget", await GetUnitAsync(world, "boot-complete.target"));
        Assert.Equal(("loaded", "active", "active"), await StatesAsync(world, "boot-complete.target"));
        Assert.Equal(("loaded", "active", "running"), await StatesAsync(world, "kubelet.service"));

        var missing = await Tool.RunAsync("gdbus", ["call", "--address", world.Bus.Address, "--dest", Systemd,
            "--object-path", "/org/freedesktop/systemd1", "--method", Manager + ".GetUnit", "nope.service"], TimeSpan.FromSeconds(10));
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("GDBus.Error:org.freedesktop.systemd1.NoSuchUnit: Unit nope.service not loaded.", missing.StandardError, StringComparison.Ordinal);

        var introspect = await Tool.RunAsync("gdbus", ["introspect", "--address", world.Bus.Address, "--dest", Systemd,
            "--object-path", "/org/freedesktop/systemd1/unit/kubelet_2eservice"], TimeSpan.FromSeconds(10));
        Assert.True(introspect.ExitCode == 0, introspect.StandardError);
        Assert.Contains("interface org.freedesktop.systemd1.Unit", introspect.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("readonly s ActiveState = 'active';", introspect.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_unit_failed_fault_for_the_booted_digest_fails_the_unit_and_can_hold_boot_complete()
    {
        using var dir = new TempDirectory("nodedaemon-systemd-");
        await using var world = await SimWorld.StartAsync(await BootedStateAsync(dir), faults: "{}");
        Assert.Equal(("loaded", "active", "running"), await StatesAsync(world, "kubelet.service"));

        await world.Sim.SetFaultsAsync("""{"unit-failed": [{"digest": "__D__", "unit": "kubelet.service", "blocks-boot-complete": true}, {"digest": "__O__", "unit": "crio.service"}]}"""
            .Replace("__D__", Booted, StringComparison.Ordinal).Replace("__O__", Other, StringComparison.Ordinal));

        await Poll.UntilAsync(async () => (await StatesAsync(world, "kubelet.service")).Active == "failed", "kubelet.service failed", TimeSpan.FromSeconds(10));
        Assert.Equal(("loaded", "failed", "failed"), await StatesAsync(world, "kubelet.service"));
        Assert.Equal(("loaded", "inactive", "dead"), await StatesAsync(world, "boot-complete.target"));
        Assert.Equal(("loaded", "active", "running"), await StatesAsync(world, "crio.service"));
        var state = await GetAsync(world, "/org/freedesktop/systemd1", Manager, "SystemState");
        Assert.Equal("degraded", (string?)state["data"]);
    }

    [Fact]
    public async Task Unit_paths_are_escaped_as_systemds_bus_label_escape()
    {
        // The simulator's escaping, checked against the paths systemd gives these units on a real host.
        Assert.Equal("/org/freedesktop/systemd1/unit/kubelet_2eservice", await UnitPathAsync("kubelet.service"));
        Assert.Equal("/org/freedesktop/systemd1/unit/systemd_2djournald_2eservice", await UnitPathAsync("systemd-journald.service"));
        Assert.Equal("/org/freedesktop/systemd1/unit/_30_2dfoo_2eservice", await UnitPathAsync("0-foo.service"));
    }

    private static async Task<string> UnitPathAsync(string unit)
    {
        var result = await Tool.RunAsync("/usr/bin/python3", ["-c",
            "import sys; sys.path.insert(0, sys.argv[1]); import sim_systemd; print(sim_systemd.unit_path(sys.argv[2]))",
            Path.Combine(AppContext.BaseDirectory, "RpmOstree", "python"), unit], TimeSpan.FromSeconds(10));
        Assert.True(result.ExitCode == 0, result.StandardError);
        return result.StandardOutput.Trim();
    }

    private static string Faults(string digest, string unit) =>
        new JsonObject { ["unit-failed"] = new JsonObject { ["digest"] = digest, ["unit"] = unit } }.ToJsonString();

    private static async Task<string> BootedStateAsync(TempDirectory dir)
    {
        var doc = (JsonObject)JsonNode.Parse(await File.ReadAllTextAsync(RepositoryPaths.RpmOstreeStatus("fcos-container-status.json")))!;
        doc["nodedaemon-sim"] = new JsonObject { ["staged-locked"] = false };
        Assert.Equal(Booted, BootTransition.Apply(doc, finalizationLost: false).BootedDigest);
        var path = dir.File("status.json");
        await File.WriteAllTextAsync(path, doc.ToJsonString());
        return path;
    }

    private static async Task<string> GetUnitAsync(SimWorld world, string unit)
    {
        var result = await Tool.RunAsync("busctl", [$"--address={world.Bus.Address}", "--json=short", "call", Systemd,
            "/org/freedesktop/systemd1", Manager, "GetUnit", "s", unit], TimeSpan.FromSeconds(10));
        Assert.True(result.ExitCode == 0, result.StandardError);
        return (string)JsonNode.Parse(result.StandardOutput)!["data"]![0]!;
    }

    private static async Task<(string Load, string Active, string Sub)> StatesAsync(SimWorld world, string unit)
    {
        var path = await GetUnitAsync(world, unit);
        return ((string)(await GetAsync(world, path, Unit, "LoadState"))["data"]!,
            (string)(await GetAsync(world, path, Unit, "ActiveState"))["data"]!,
            (string)(await GetAsync(world, path, Unit, "SubState"))["data"]!);
    }

    private static async Task<JsonNode> GetAsync(SimWorld world, string path, string iface, string property)
    {
        var result = await Tool.RunAsync("busctl", [$"--address={world.Bus.Address}", "--json=short", "get-property", Systemd,
            path, iface, property], TimeSpan.FromSeconds(10));
        Assert.True(result.ExitCode == 0, result.StandardError);
        return JsonNode.Parse(result.StandardOutput)!;
    }
}
