using NodeDaemon.Sim.Harness;
using Tmds.DBus.Protocol;
using NodeDaemon.Testing;

namespace NodeDaemon.Sim.Tests.RpmOstree;

/// <summary>Rebase transactions end to end: real tools on the bus and the peer, the spec's join/busy/drop rules.</summary>
public sealed class RebaseTransactionTests
{
    private static readonly TimeSpan s_tool = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Rebase_started_by_dbus_send_stages_the_image()
    {
        await using var world = await SimWorld.StartAsync();
        using var caller = await BusClient.ConnectAsync(world.Bus.Address);
        var address = await caller.RebaseAsync(SimWorld.Refspec);
        Assert.StartsWith("unix:path=", address, StringComparison.Ordinal);
        Assert.Equal(address, await Busctl.ActiveTransactionPathAsync(world.Bus.Address));
        using var observer = await PeerTransaction.ConnectAsync(address);

        // dbus-send speaks peer-to-peer (--peer); gdbus and busctl always say Hello to a bus first.
        var start = await Tool.RunAsync("dbus-send", [$"--peer={address}", "--print-reply", "/",
            $"{SimWorld.TxnIface}.Start"], s_tool);
        Assert.Contains("boolean true", start.StandardOutput, StringComparison.Ordinal);

        Assert.Equal((true, ""), await observer.FinishedAsync());
        // A container pull, as rpm-ostree sends it: layer tasks and messages, no byte-level signals.
        Assert.DoesNotContain("DownloadProgress", observer.Signals);
        Assert.DoesNotContain("PercentProgress", observer.Signals);
        Assert.Contains("TaskBegin", observer.Signals);
        Assert.Contains("TaskEnd", observer.Signals);
        Assert.Contains("Message", observer.Signals);
        var staged = (await Busctl.DeploymentsAsync(world.Bus.Address))[0]!;
        Assert.True((bool?)Busctl.Value(staged, "staged"));
        Assert.Equal(SimWorld.Refspec, (string?)Busctl.Value(staged, "container-image-reference"));
        Assert.Equal(SimWorld.Digest, (string?)Busctl.Value(staged, "container-image-reference-digest"));
        Assert.Equal("42.20260101.0", (string?)Busctl.Value(staged, "version"));
        Assert.Null(Busctl.Value(staged, "origin"));
        Assert.Null(Busctl.Value(staged, "finalization-locked"));
        var onDisk = StateFile.Staged(world.Sim.StatePath)!;
        Assert.Equal(SimWorld.Digest, (string?)onDisk["container-image-reference-digest"]);
        Assert.Matches("^fedora-coreos-[0-9a-f]{64}\\.0$", (string?)onDisk["id"]);
        Assert.True((bool?)StateFile.Sim(world.Sim.StatePath)["staged-locked"]);
        // Still the sysroot's while the observer holds its peer connection (transaction_maybe_emit_closed).
        Assert.Equal(address, await Busctl.ActiveTransactionPathAsync(world.Bus.Address));
        observer.Dispose();
        await Until(async () => await Busctl.ActiveTransactionPathAsync(world.Bus.Address) == "");
    }

    [Fact]
    public async Task Identical_call_joins_and_a_different_one_is_busy()
    {
        await using var world = await SimWorld.StartAsync();
        using var first = await BusClient.ConnectAsync(world.Bus.Address);
        using var second = await BusClient.ConnectAsync(world.Bus.Address);
        var address = await first.RebaseAsync(SimWorld.Refspec, title: "nodedaemon stage");

        Assert.Equal(address, await second.RebaseAsync(SimWorld.Refspec, title: "nodedaemon stage"));
        var busy = await Assert.ThrowsAsync<DBusErrorReplyException>(() => second.CleanupAsync("pending-deploy"));
        Assert.Equal("org.gtk.GDBus.UnmappedGError.Quark._g_2dio_2derror_2dquark.Code26", busy.ErrorName);
        Assert.Equal("Transaction in progress: nodedaemon stage\n You can cancel the current transaction with `rpm-ostree cancel`",
            busy.ErrorMessage);
        var active = await Busctl.GetPropertyAsync(world.Bus.Address, SimWorld.SysrootPath, SimWorld.SysrootIface, "ActiveTransaction");
        Assert.Equal(["Rebase", first.UniqueName, SimWorld.OsPath], active["data"]!.AsArray().Select(n => (string?)n));
    }

    [Fact]
    public async Task Transaction_is_dropped_when_the_caller_leaves_before_start()
    {
        await using var world = await SimWorld.StartAsync();
        // gdbus call disconnects as soon as it has the reply: its unique name vanishes before anyone calls Start().
        var call = await Tool.RunAsync("gdbus", ["call", "--address", world.Bus.Address, "--dest", SimWorld.Name,
            "--object-path", SimWorld.OsPath, "--method", $"{SimWorld.OsIface}.Cleanup", "['pending-deploy']"], s_tool);
        Assert.Contains("unix:path=", call.StandardOutput, StringComparison.Ordinal);
        var socket = call.StandardOutput.Split("unix:path=")[1].Split('\'')[0];

        await Until(async () => await Busctl.ActiveTransactionPathAsync(world.Bus.Address) == "" && !File.Exists(socket));
        Assert.NotNull(StateFile.Staged(world.Sim.StatePath));
    }

    [Fact]
    public async Task Cancel_returns_at_once_and_finished_false_follows()
    {
        await using var world = await SimWorld.StartAsync(faults: """{"pull-hang": true}""");
        using var caller = await BusClient.ConnectAsync(world.Bus.Address);
        using var peer = await PeerTransaction.ConnectAsync(await caller.RebaseAsync(SimWorld.Refspec));
        Assert.True(await peer.StartAsync());
        await Task.Delay(300);
        Assert.False(peer.FinishedAsync(0.01).IsCompletedSuccessfully);

        await peer.CancelAsync();
        var finished = await peer.FinishedAsync();
        Assert.False(finished.Success);
        Assert.Contains("cancelled", finished.Message, StringComparison.Ordinal);
        Assert.False(await peer.StartAsync());
        Assert.Equal("ostree-unverified-registry:quay.io/fedora/fedora-coreos:testing-devel",
            (string?)StateFile.Staged(world.Sim.StatePath)!["container-image-reference"]);
    }

    [Fact]
    public async Task Rebase_to_the_merge_deployments_ref_fails_with_refs_equal()
    {
        await using var world = await SimWorld.StartAsync();
        const string Current = "ostree-unverified-registry:quay.io/fedora/fedora-coreos:testing-devel";
        var finished = await RunRebaseAsync(world, Current);
        Assert.Equal((false, $"Old and new refs are equal: {Current}"), finished);
    }

    [Fact]
    public async Task Unknown_tag_fails_like_a_real_pull()
    {
        await using var world = await SimWorld.StartAsync();
        var finished = await RunRebaseAsync(world, "ostree-image-signed:docker://quay.io/example/node-os:nope");
        Assert.False(finished.Success);
        Assert.Equal("Fetching manifest: failed to invoke method OpenImage: reading manifest nope in quay.io/example/node-os: manifest unknown: manifest unknown",
            finished.Message);
    }

    [Fact]
    public async Task Digest_pinned_pullspec_needs_no_registry_entry()
    {
        await using var world = await SimWorld.StartAsync(registry: null);
        const string Pinned = "quay.io/example/node-os@sha256:2222222222222222222222222222222222222222222222222222222222222222";
        Assert.Equal((true, ""), await RunRebaseAsync(world, "ostree-unverified-image:docker://" + Pinned));
        Assert.Equal("sha256:2222222222222222222222222222222222222222222222222222222222222222",
            (string?)StateFile.Staged(world.Sim.StatePath)!["container-image-reference-digest"]);
    }

    internal static async Task<(bool Success, string Message)> RunRebaseAsync(SimWorld world, string refspec, bool lockFinalization = true,
        bool reboot = false)
    {
        using var caller = await BusClient.ConnectAsync(world.Bus.Address);
        using var peer = await PeerTransaction.ConnectAsync(await caller.RebaseAsync(refspec, lockFinalization, reboot));
        Assert.True(await peer.StartAsync());
        return await peer.FinishedAsync();
    }

    internal static Task Until(Func<Task<bool>> condition) => Poll.UntilAsync(condition, "the simulator's state to change");
}
