using NodeDaemon.Core.Host;
using NodeDaemon.Core.Images;
using NodeDaemon.Sim.Fleet;

namespace NodeDaemon.Sim.Tests.Fleet;

/// <summary>The in-memory host follows rpm-ostree's stage, finalize and boot rules.</summary>
public sealed class SimulatedHostTests
{
    private const string Old = "quay.io/example/os@sha256:1111111111111111111111111111111111111111111111111111111111111111";
    private const string New = "quay.io/example/os@sha256:2222222222222222222222222222222222222222222222222222222222222222";
    private static readonly Digest s_new = Digest.Parse(New[(New.IndexOf('@', StringComparison.Ordinal) + 1)..]);

    [Fact]
    public async Task A_finalized_stage_asks_for_one_reboot_and_is_booted_after_it()
    {
        var reboots = 0;
        var host = new SimulatedHost(Old, TimeSpan.Zero, () => reboots++);
        var staged = await host.StageAsync(OstreeRefspec.Parse("ostree-unverified-registry:" + New), s_new, null, CancellationToken.None);

        await host.FinalizeAsync(s_new, CancellationToken.None);

        Assert.Equal(s_new, staged.ImageDigest);
        Assert.NotEqual(staged.Checksum, s_new.ToString());
        Assert.Equal(1, reboots);
        Assert.True(host.Boot(loseStage: false));
        var status = await host.ReadStatusAsync(CancellationToken.None);
        Assert.Equal(s_new, status.Booted.ImageDigest);
        Assert.Null(status.Staged);
        Assert.NotNull(status.Rollback);
    }

    [Fact]
    public async Task A_locked_or_lost_stage_is_dropped_at_boot()
    {
        var host = new SimulatedHost(Old, TimeSpan.Zero, () => { });
        await host.StageAsync(OstreeRefspec.Parse("ostree-unverified-registry:" + New), s_new, null, CancellationToken.None);
        Assert.False(host.Boot(loseStage: false));

        await host.StageAsync(OstreeRefspec.Parse("ostree-unverified-registry:" + New), s_new, null, CancellationToken.None);
        await host.FinalizeAsync(s_new, CancellationToken.None);
        Assert.False(host.Boot(loseStage: true));
        Assert.NotEqual(s_new, host.BootedDigest);
    }

    [Fact]
    public async Task Finalize_refuses_without_a_stage_or_for_another_digest()
    {
        var host = new SimulatedHost(Old, TimeSpan.Zero, () => { });
        var none = await Assert.ThrowsAsync<HostException>(() => host.FinalizeAsync(s_new, CancellationToken.None));
        Assert.Equal("No pending staged deployment found", none.Message);

        await host.StageAsync(OstreeRefspec.Parse("ostree-unverified-registry:" + New), s_new, null, CancellationToken.None);
        var other = Digest.Parse("sha256:" + new string('3', 64));
        await Assert.ThrowsAsync<HostException>(() => host.FinalizeAsync(other, CancellationToken.None));
    }

    [Fact]
    public async Task Rollback_boots_the_previous_deployment_as_rpm_ostree_rollback_does()
    {
        var reboots = 0;
        var host = new SimulatedHost(Old, TimeSpan.Zero, () => reboots++);
        var refused = await Assert.ThrowsAsync<HostException>(() => host.RollbackAsync("none", CancellationToken.None));
        Assert.Equal("No rollback deployment found", refused.Message);

        await host.StageAsync(OstreeRefspec.Parse("ostree-unverified-registry:" + New), s_new, null, CancellationToken.None);
        await host.FinalizeAsync(s_new, CancellationToken.None);
        host.Boot(loseStage: false);
        var previous = (await host.ReadStatusAsync(CancellationToken.None)).Rollback!;
        var old = previous.ImageDigest;
        await host.StageAsync(OstreeRefspec.Parse("ostree-unverified-registry:" + Old), old, null, CancellationToken.None);
        refused = await Assert.ThrowsAsync<HostException>(() => host.RollbackAsync(previous.Checksum, CancellationToken.None));
        Assert.Equal("Staged deployment (remove with cleanup -p)", refused.Message);
        await host.CleanupStagedAsync(CancellationToken.None);

        await host.RollbackAsync(previous.Checksum, CancellationToken.None);
        Assert.Equal(2, reboots);
        Assert.False(host.Boot(loseStage: false)); // no stage was applied: the previous deployment boots
        Assert.Equal(1, host.Rollbacks);
        var status = await host.ReadStatusAsync(CancellationToken.None);
        Assert.Equal(old, status.Booted.ImageDigest);
        Assert.Equal(s_new, status.Rollback!.ImageDigest);
        Assert.Equal(old, host.BootedDigest);
    }
}
