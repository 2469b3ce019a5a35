using Tmds.DBus.Protocol;

namespace NodeDaemon.Sim.Tests.RpmOstree;

/// <summary>rpm-ostreed's own life: a finished transaction stays the sysroot's while a peer holds it, and the sysroot
/// lock held by someone else (rpm-ostree v2026.2, rpmostreed-transaction.cxx and rpmostreed-sysroot.cxx).</summary>
public sealed class LifeTests
{
    private const string BusyError = "org.gtk.GDBus.UnmappedGError.Quark._g_2dio_2derror_2dquark.Code26";

    [Fact]
    public async Task Finished_transaction_stays_active_until_its_last_peer_closes()
    {
        await using var world = await SimWorld.StartAsync();
        using var caller = await BusClient.ConnectAsync(world.Bus.Address);
        var address = await caller.RebaseAsync(SimWorld.Refspec, title: "nodedaemon stage");
        using (var peer = await PeerTransaction.ConnectAsync(address))
        {
            Assert.True(await peer.StartAsync());
            Assert.Equal((true, ""), await peer.FinishedAsync());
            await Task.Delay(300);
            Assert.Equal(address, await Busctl.ActiveTransactionPathAsync(world.Bus.Address));
            var busy = await Assert.ThrowsAsync<DBusErrorReplyException>(() => caller.CleanupAsync("pending-deploy"));
            Assert.Equal(BusyError, busy.ErrorName);
            Assert.StartsWith("Transaction in progress: nodedaemon stage\n", busy.ErrorMessage, StringComparison.Ordinal);
        }

        await RebaseTransactionTests.Until(async () => await Busctl.ActiveTransactionPathAsync(world.Bus.Address) == "");
        Assert.StartsWith("unix:path=", await caller.CleanupAsync("pending-deploy"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_peer_that_never_closes_is_force_closed_after_the_timeout()
    {
        await using var world = await SimWorld.StartAsync(faults: """{"lifecycle": {"force-close-seconds": 4}}""");
        using var caller = await BusClient.ConnectAsync(world.Bus.Address);
        var address = await caller.RebaseAsync(SimWorld.Refspec);
        using var peer = await PeerTransaction.ConnectAsync(address);
        Assert.True(await peer.StartAsync());
        Assert.Equal((true, ""), await peer.FinishedAsync());
        Assert.Equal(address, await Busctl.ActiveTransactionPathAsync(world.Bus.Address));
        await RebaseTransactionTests.Until(async () => await Busctl.ActiveTransactionPathAsync(world.Bus.Address) == "");
    }

    [Fact]
    public async Task Busy_client_lingering_keeps_the_daemon_busy_after_its_end()
    {
        await using var world = await SimWorld.StartAsync(
            faults: """{"busy": {"seconds": 0.5, "title": "zincati upgrade", "lingers": true}, "lifecycle": {"force-close-seconds": 8}}""");
        using var client = await BusClient.ConnectAsync(world.Bus.Address);
        await Task.Delay(1200);
        var busy = await Assert.ThrowsAsync<DBusErrorReplyException>(() => client.RebaseAsync(SimWorld.Refspec));
        Assert.StartsWith("Transaction in progress: zincati upgrade\n", busy.ErrorMessage, StringComparison.Ordinal);
        await RebaseTransactionTests.Until(async () => await Busctl.ActiveTransactionPathAsync(world.Bus.Address) == "");
        Assert.StartsWith("unix:path=", await client.RebaseAsync(SimWorld.Refspec), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sysroot_locked_by_another_program_answers_busy_until_released()
    {
        await using var world = await SimWorld.StartAsync(faults: """{"sysroot-locked": {"seconds": 5, "by": "bootc"}}""");
        using var client = await BusClient.ConnectAsync(world.Bus.Address);
        var busy = await Assert.ThrowsAsync<DBusErrorReplyException>(() => client.RebaseAsync(SimWorld.Refspec));
        Assert.Equal(BusyError, busy.ErrorName);
        Assert.Equal("System transaction in progress", busy.ErrorMessage);
        Assert.Equal("", await Busctl.ActiveTransactionPathAsync(world.Bus.Address));
        await Task.Delay(5100);
        Assert.StartsWith("unix:path=", await client.RebaseAsync(SimWorld.Refspec), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Idle_rpmostreed_exits_and_the_next_call_activates_it_again()
    {
        await using var world = await SimWorld.StartAsync(faults: """{"lifecycle": {"idle-exit-seconds": 1}}""");
        await RebaseTransactionTests.Until(() => Task.FromResult(world.Sim.Events.Any(e => e.Event == "rpmostreed-idle-exit")));
        Assert.DoesNotContain(world.Sim.Events, e => e.Event == "rpmostreed-activated");

        // busctl's call names org.projectatomic.rpmostree1, which nobody owns now: the bus runs the activation file.
        Assert.Equal("", await Busctl.ActiveTransactionPathAsync(world.Bus.Address));
        Assert.Contains(world.Sim.Events, e => e.Event == "rpmostreed-activated");
        Assert.Equal((true, ""), await RebaseTransactionTests.RunRebaseAsync(world, SimWorld.Refspec));
    }

    [Fact]
    public async Task A_registered_client_keeps_it_alive_until_its_name_vanishes()
    {
        await using var world = await SimWorld.StartAsync(faults: """{"lifecycle": {"idle-exit-seconds": 2}}""");
        using (var client = await BusClient.ConnectAsync(world.Bus.Address))
        {
            await client.CallAsync(SimWorld.Name, SimWorld.SysrootPath, SimWorld.SysrootIface, "RegisterClient", "a{sv}",
                (ref MessageWriter w) => w.WriteDictionaryEnd(w.WriteDictionaryStart()));
            var exitsBefore = world.Sim.Events.Count(e => e.Event == "rpmostreed-idle-exit");
            await Task.Delay(4000);
            Assert.Equal(exitsBefore, world.Sim.Events.Count(e => e.Event == "rpmostreed-idle-exit"));
            Assert.Equal(0, exitsBefore);
        }

        await RebaseTransactionTests.Until(() => Task.FromResult(world.Sim.Events.Any(e => e.Event == "rpmostreed-idle-exit")));
    }
}
