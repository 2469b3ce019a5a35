using System.Text.Json.Nodes;
using NodeDaemon.Sim.RpmOstree;

namespace NodeDaemon.Sim.Tests.RpmOstree;

/// <summary>Rollback as rpm-ostree v2026.2 does it (rollback_transaction_execute): the reorder, its refusals, its reboot.</summary>
public sealed class RollbackTests
{
    private const string Silverblue = "/org/projectatomic/rpmostree1/fedora_silverblue";

    [Fact]
    public async Task A_staged_deployment_is_refused_with_rpm_ostrees_hint_and_stays()
    {
        await using var world = await SimWorld.StartAsync("fcos-container-status.json");
        var staged = (string?)StateFile.Staged(world.Sim.StatePath)!["checksum"];

        Assert.Equal((false, "Staged deployment (remove with cleanup -p)"), await RunAsync(world, c => c.RollbackAsync(), SimWorld.OsPath));

        Assert.Equal(staged, (string?)StateFile.Staged(world.Sim.StatePath)?["checksum"]);
    }

    [Fact]
    public async Task The_rollback_goes_first_and_a_second_call_puts_the_booted_one_back_on_top()
    {
        await using var world = await SimWorld.StartAsync("workstation-status.json");
        var (booted, rollback) = Checksums(world.Sim.StatePath);

        Assert.Equal((true, ""), await RunAsync(world, c => c.RollbackAsync()));
        Assert.Equal([rollback, booted], ChecksumList(world.Sim.StatePath));
        var def = await Busctl.GetPropertyAsync(world.Bus.Address, Silverblue, SimWorld.OsIface, "DefaultDeployment");
        Assert.Equal(rollback, (string?)Busctl.Value(def["data"]!, "checksum"));
        // Nothing comes after the booted one now: the deployment before it is "pending", and a second rollback undoes
        // the first by moving the booted deployment back on top.
        var none = await Busctl.GetPropertyAsync(world.Bus.Address, Silverblue, SimWorld.OsIface, "RollbackDeployment");
        Assert.Empty(none["data"]!.AsObject());

        Assert.Equal((true, ""), await RunAsync(world, c => c.RollbackAsync()));
        Assert.Equal([booted, rollback], ChecksumList(world.Sim.StatePath));
    }

    [Fact]
    public async Task With_reboot_the_host_reboots_into_the_former_rollback()
    {
        await using var world = await SimWorld.StartAsync("workstation-status.json");
        var (booted, rollback) = Checksums(world.Sim.StatePath);

        Assert.Equal((true, ""), await RunAsync(world, c => c.RollbackAsync(reboot: true)));

        Assert.Equal(100, await world.Sim.WaitForExitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal("Rollback", (string?)StateFile.Sim(world.Sim.StatePath)["reboot-requested"]?["by"]);
        var doc = StateFile.Read(world.Sim.StatePath);
        var summary = BootTransition.Apply(doc, finalizationLost: false);
        Assert.Equal(rollback, summary.BootedChecksum);
        var deps = doc["deployments"]!.AsArray();
        Assert.Equal([rollback, booted], deps.Select(d => (string?)d!["checksum"]));
        Assert.Equal([true, false], deps.Select(d => (bool)d!["booted"]!));
    }

    [Fact]
    public async Task A_block_inhibitor_refuses_the_reboot_after_the_new_order_was_written()
    {
        await using var world = await SimWorld.StartAsync("workstation-status.json",
            faults: """{"inhibitor": {"who": "backup.service", "why": "Nightly backup"}}""");
        var (booted, rollback) = Checksums(world.Sim.StatePath);

        Assert.Equal((false, "Reboot blocked by a systemd inhibitor lock in `block` mode\nHeld by: backup.service\nReason: Nightly backup"),
            await RunAsync(world, c => c.RollbackAsync(reboot: true)));

        Assert.Equal([rollback, booted], ChecksumList(world.Sim.StatePath));
        Assert.Null(StateFile.Sim(world.Sim.StatePath)["reboot-requested"]);
    }

    private static (string Booted, string Rollback) Checksums(string statePath)
    {
        var list = ChecksumList(statePath);
        return (list[0], list[1]);
    }

    private static List<string> ChecksumList(string statePath) =>
        StateFile.Read(statePath)["deployments"]!.AsArray().Select(d => (string)d!["checksum"]!).ToList();

    private static async Task<(bool Success, string Message)> RunAsync(SimWorld world, Func<BusClient, Task<string>> call,
        string osPath = Silverblue)
    {
        using var caller = await BusClient.ConnectAsync(world.Bus.Address, osPath);
        using var peer = await PeerTransaction.ConnectAsync(await call(caller));
        Assert.True(await peer.StartAsync());
        return await peer.FinishedAsync();
    }
}
