using NodeDaemon.Sim.RpmOstree;
using Tmds.DBus.Protocol;

namespace NodeDaemon.Sim.Tests.RpmOstree;

/// <summary>The fault knobs, from the faults file and changed at run time.</summary>
public sealed class FaultTests
{
    [Fact]
    public async Task Pull_fails_n_times_then_succeeds()
    {
        await using var world = await SimWorld.StartAsync(faults: """{"pull-fail": {"count": 2, "message": "registry unreachable"}}""");
        Assert.Equal((false, "registry unreachable"), await RebaseTransactionTests.RunRebaseAsync(world, SimWorld.Refspec));
        Assert.Equal((false, "registry unreachable"), await RebaseTransactionTests.RunRebaseAsync(world, SimWorld.Refspec));
        Assert.Equal((true, ""), await RebaseTransactionTests.RunRebaseAsync(world, SimWorld.Refspec));
    }

    [Fact]
    public async Task Faults_change_at_run_time_on_sighup()
    {
        await using var world = await SimWorld.StartAsync();
        await world.Sim.SetFaultsAsync("""{"pull-fail": 1}""");
        await Task.Delay(200);
        var finished = await RebaseTransactionTests.RunRebaseAsync(world, SimWorld.Refspec);
        Assert.False(finished.Success);
        Assert.Contains("pinging container registry quay.io", finished.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Faults_change_at_run_time_over_the_control_interface()
    {
        await using var world = await SimWorld.StartAsync();
        using var client = await BusClient.ConnectAsync(world.Bus.Address);
        await client.CallAsync("org.nodedaemon.Sim1", "/org/nodedaemon/Sim1", "org.nodedaemon.Sim1", "SetFaults", "s",
            (ref MessageWriter w) => w.WriteString("""{"digest-moved": {"digest": "sha256:3333333333333333333333333333333333333333333333333333333333333333"}}"""));
        Assert.Equal((true, ""), await RebaseTransactionTests.RunRebaseAsync(world, SimWorld.Refspec));
        Assert.Equal("sha256:3333333333333333333333333333333333333333333333333333333333333333",
            (string?)StateFile.Staged(world.Sim.StatePath)!["container-image-reference-digest"]);
        var typo = await Assert.ThrowsAsync<DBusErrorReplyException>(() => client.CallAsync("org.nodedaemon.Sim1", "/org/nodedaemon/Sim1",
            "org.nodedaemon.Sim1", "SetFaults", "s", (ref MessageWriter w) => w.WriteString("""{"pull-fial": 1}""")));
        Assert.Equal("org.freedesktop.DBus.Error.InvalidArgs", typo.ErrorName);
    }

    [Fact]
    public async Task Busy_fault_holds_the_daemon_for_another_client()
    {
        // Held for 5 s from start, so that a loaded machine still reaches the first call inside the hold (CI once took
        // over 1 s from start to the call); the wait for its end is bounded by Until.
        await using var world = await SimWorld.StartAsync(faults: """{"busy": {"seconds": 5, "title": "zincati upgrade"}}""");
        using var client = await BusClient.ConnectAsync(world.Bus.Address);
        var busy = await Assert.ThrowsAsync<DBusErrorReplyException>(() => client.RebaseAsync(SimWorld.Refspec));
        Assert.StartsWith("Transaction in progress: zincati upgrade\n", busy.ErrorMessage, StringComparison.Ordinal);
        await RebaseTransactionTests.Until(async () => await Busctl.ActiveTransactionPathAsync(world.Bus.Address) == "");
        Assert.StartsWith("unix:path=", await client.RebaseAsync(SimWorld.Refspec), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dies_mid_transaction_and_a_restart_continues_from_the_state_file()
    {
        await using var world = await SimWorld.StartAsync(faults: """{"die": {"after-signals": 3, "exit-code": 42}}""");
        using (var caller = await BusClient.ConnectAsync(world.Bus.Address))
        using (var peer = await PeerTransaction.ConnectAsync(await caller.RebaseAsync(SimWorld.Refspec)))
        {
            Assert.True(await peer.StartAsync());
            Assert.Equal(42, await world.Sim.WaitForExitAsync(TimeSpan.FromSeconds(5)));
            Assert.DoesNotContain("Finished", peer.Signals);
        }

        Assert.Equal("ostree-unverified-registry:quay.io/fedora/fedora-coreos:testing-devel",
            (string?)StateFile.Staged(world.Sim.StatePath)!["container-image-reference"]);
        await File.WriteAllTextAsync(world.Sim.FaultsPath, "{}");
        await world.Sim.RestartAsync();
        Assert.Equal("", await Busctl.ActiveTransactionPathAsync(world.Bus.Address));
        Assert.Equal((true, ""), await RebaseTransactionTests.RunRebaseAsync(world, SimWorld.Refspec));
        Assert.Equal(SimWorld.Refspec, (string?)StateFile.Staged(world.Sim.StatePath)!["container-image-reference"]);
    }

    [Fact]
    public async Task Finalization_lost_fault_reaches_the_boot_verb_through_the_state()
    {
        await using var world = await SimWorld.StartAsync(faults: """{"finalization-lost": true}""");
        Assert.Equal((true, ""), await RebaseTransactionTests.RunRebaseAsync(world, SimWorld.Refspec, lockFinalization: false));
        var summary = BootTransition.Apply(StateFile.Read(world.Sim.StatePath), finalizationLost: false);
        Assert.Equal("dropped-finalization-lost", summary.Staged);
    }
}
