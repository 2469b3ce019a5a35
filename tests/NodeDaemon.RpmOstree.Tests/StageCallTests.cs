using NodeDaemon.Core.Images;

namespace NodeDaemon.RpmOstree.Tests;

/// <summary>The D-Bus calls a stage, a cleanup and a finalization send before their transaction: on the reaction path
/// and in the cordoned window, so counted.</summary>
public sealed class StageCallTests
{
    private static readonly OstreeRefspec s_pinned = OstreeRefspec.ForImage(ImageReference.Parse(HostWorld.Pinned), verified: false);
    private static readonly Digest s_digest = Digest.Parse(HostWorld.Digest);

    /// <summary>Registration, then what the stager uses: the OS path and the staged deployment (issue 19).</summary>
    private static readonly string[] s_stagedRead = ["RegisterClient", "Get Sysroot.Booted", "Get Sysroot.Deployments"];

    [Fact]
    public async Task The_rebase_follows_a_read_of_the_os_path_and_the_deployments_only()
    {
        await using var world = await HostWorld.StartAsync();
        var client = world.Client();
        await using var calls = await BusCalls.WatchAsync(world.Bus.Address);

        await client.StageAsync(s_pinned, s_digest, null, CancellationToken.None);

        Assert.Equal(s_stagedRead, await calls.BeforeAsync("Rebase"));
    }

    [Fact]
    public async Task The_cleanup_follows_a_read_of_the_os_path_and_the_deployments_only()
    {
        await using var world = await HostWorld.StartAsync();
        var client = world.Client();
        await client.StageAsync(s_pinned, s_digest, null, CancellationToken.None);
        await using var calls = await BusCalls.WatchAsync(world.Bus.Address);

        await client.CleanupStagedAsync(CancellationToken.None);

        Assert.Equal(s_stagedRead, await calls.BeforeAsync("Cleanup"));
        Assert.Null(world.StagedInState);
    }

    [Fact]
    public async Task The_finalization_follows_a_read_of_the_os_path_and_the_deployments_only()
    {
        await using var world = await HostWorld.StartAsync();
        var client = world.Client();
        await client.StageAsync(s_pinned, s_digest, null, CancellationToken.None);
        await using var calls = await BusCalls.WatchAsync(world.Bus.Address);

        await client.FinalizeAsync(s_digest, CancellationToken.None);

        Assert.Equal(s_stagedRead, await calls.BeforeAsync("FinalizeDeployment"));
    }
}
