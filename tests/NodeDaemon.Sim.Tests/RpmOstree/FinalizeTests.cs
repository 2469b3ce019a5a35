using NodeDaemon.Sim.Harness;
using NodeDaemon.Sim.RpmOstree;

namespace NodeDaemon.Sim.Tests.RpmOstree;

/// <summary>FinalizeDeployment's errors and the reboot request it makes; login1's Reboot.</summary>
public sealed class FinalizeTests
{
    [Fact]
    public async Task Finalize_errors_use_rpm_ostrees_texts()
    {
        await using var world = await SimWorld.StartAsync("zincati-rpm-ostree-status.json");
        Assert.Equal((false, "No pending staged deployment found"), await FinalizeAsync(world, SimWorld.Digest));

        Assert.Equal((true, ""), await RebaseTransactionTests.RunRebaseAsync(world, SimWorld.Refspec));
        Assert.Equal((false, "Missing expected checksum"), await FinalizeAsync(world, null));
        // rpm-ostree since v2025.7 compares the container image's digest, not the stage's ostree commit.
        Assert.Equal((false, $"Expected staged base checksum {StagedCommit(world)}, but found {SimWorld.Digest}"),
            await FinalizeAsync(world, StagedCommit(world)));
        Assert.Null(world.Sim.ExitCode);
    }

    [Fact]
    public async Task The_legacy_mode_compares_the_ostree_commit()
    {
        await using var world = await SimWorld.StartAsync("zincati-rpm-ostree-status.json", faults: """{"finalize-compares": "commit"}""");
        Assert.Equal((true, ""), await RebaseTransactionTests.RunRebaseAsync(world, SimWorld.Refspec));

        Assert.Equal((false, $"Expected staged base checksum {SimWorld.Digest}, but found {StagedCommit(world)}"),
            await FinalizeAsync(world, SimWorld.Digest));
        Assert.Equal((true, ""), await FinalizeAsync(world, StagedCommit(world)));
    }

    [Fact]
    public async Task A_block_shutdown_inhibitor_refuses_before_the_unlock_with_rpm_ostrees_text()
    {
        const string Faults = """{"inhibitor": [{"who": "backup.service", "why": "Nightly backup"}, {"who": "gnome-shell", "why": "idle", "what": "sleep", "mode": "delay"}, {"who": "dnf", "why": "Upgrading", "what": "shutdown:sleep"}]}""";
        await using var world = await SimWorld.StartAsync("zincati-rpm-ostree-status.json", faults: Faults);
        Assert.Equal((true, ""), await RebaseTransactionTests.RunRebaseAsync(world, SimWorld.Refspec));

        Assert.Equal((false, "Reboot blocked by a systemd inhibitor lock in `block` mode\nHeld by: backup.service\nReason: Nightly backup\n"
            + "and 1 other blocking inhibitor lock(s)\nUse `systemd-inhibit --list` to see details"), await FinalizeAsync(world, SimWorld.Digest));
        Assert.True((bool?)StateFile.Sim(world.Sim.StatePath)["staged-locked"]);
        var listed = await Tool.RunAsync("busctl", [$"--address={world.Bus.Address}", "call", "org.freedesktop.login1",
            "/org/freedesktop/login1", "org.freedesktop.login1.Manager", "ListInhibitors"], TimeSpan.FromSeconds(5));
        Assert.Equal("a(ssssuu) 3 \"shutdown\" \"backup.service\" \"Nightly backup\" \"block\" 0 4242 \"sleep\" \"gnome-shell\" \"idle\" \"delay\" 0 4242 "
            + "\"shutdown:sleep\" \"dnf\" \"Upgrading\" \"block\" 0 4242", listed.StandardOutput.Trim());
    }

    [Fact]
    public async Task A_checksum_mismatch_is_answered_before_the_inhibitor()
    {
        await using var world = await SimWorld.StartAsync("zincati-rpm-ostree-status.json", faults: """{"inhibitor": {"who": "backup.service", "why": "Nightly backup"}}""");
        Assert.Equal((true, ""), await RebaseTransactionTests.RunRebaseAsync(world, SimWorld.Refspec));

        Assert.Equal((false, $"Expected staged base checksum {StagedCommit(world)}, but found {SimWorld.Digest}"), await FinalizeAsync(world, StagedCommit(world)));
    }

    [Fact]
    public async Task Finalize_unlocks_records_a_reboot_and_exits_100_after_finished()
    {
        await using var world = await SimWorld.StartAsync("zincati-rpm-ostree-status.json");
        Assert.Equal((true, ""), await RebaseTransactionTests.RunRebaseAsync(world, SimWorld.Refspec));
        Assert.Equal((true, ""), await FinalizeAsync(world, SimWorld.Digest));

        Assert.Equal(SimulatorScript.RebootExitCode, await world.Sim.WaitForExitAsync(TimeSpan.FromSeconds(5)));
        var sim = StateFile.Sim(world.Sim.StatePath);
        Assert.Equal("FinalizeDeployment", (string?)sim["reboot-requested"]!["by"]);
        Assert.False((bool?)sim["staged-locked"]);

        await world.Sim.RestartAsync();
        Assert.Equal((false, "Staged deployment already unlocked"), await FinalizeAsync(world, SimWorld.Digest));
    }

    [Fact]
    public async Task Login1_reboot_is_recorded_the_same_way()
    {
        await using var world = await SimWorld.StartAsync();
        var reboot = await Tool.RunAsync("busctl", [$"--address={world.Bus.Address}", "call", "org.freedesktop.login1",
            "/org/freedesktop/login1", "org.freedesktop.login1.Manager", "Reboot", "b", "false"], TimeSpan.FromSeconds(5));
        Assert.True(reboot.ExitCode == 0, reboot.StandardError);
        Assert.Equal(SimulatorScript.RebootExitCode, await world.Sim.WaitForExitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal("org.freedesktop.login1.Manager.Reboot", (string?)StateFile.Sim(world.Sim.StatePath)["reboot-requested"]!["by"]);
    }

    [Fact]
    public async Task Cleanup_and_rollback_change_what_boots_next()
    {
        await using var world = await SimWorld.StartAsync("fcos-container-status.json");
        Assert.Equal((true, ""), await RunAsync(world, c => c.CleanupAsync("pending-deploy")));
        Assert.Null(StateFile.Staged(world.Sim.StatePath));
        Assert.Equal((false, "No rollback deployment found"), await RunAsync(world, c => c.RollbackAsync()));

        await using var two = await SimWorld.StartAsync("workstation-status.json");
        var rollback = (string?)StateFile.Read(two.Sim.StatePath)["deployments"]![1]!["checksum"];
        const string Silverblue = "/org/projectatomic/rpmostree1/fedora_silverblue";
        Assert.Equal((true, ""), await RunAsync(two, c => c.RollbackAsync(), Silverblue));
        var def = await Busctl.GetPropertyAsync(two.Bus.Address, Silverblue, SimWorld.OsIface, "DefaultDeployment");
        Assert.Equal(rollback, (string?)Busctl.Value(def["data"]!, "checksum"));
    }

    private static string StagedCommit(SimWorld world) => (string)StateFile.Staged(world.Sim.StatePath)!["checksum"]!;

    private static Task<(bool Success, string Message)> FinalizeAsync(SimWorld world, string? checksum) =>
        RunAsync(world, c => c.FinalizeAsync(checksum));

    private static async Task<(bool Success, string Message)> RunAsync(SimWorld world, Func<BusClient, Task<string>> call,
        string osPath = SimWorld.OsPath)
    {
        using var caller = await BusClient.ConnectAsync(world.Bus.Address, osPath);
        using var peer = await PeerTransaction.ConnectAsync(await call(caller));
        Assert.True(await peer.StartAsync());
        return await peer.FinishedAsync();
    }
}
