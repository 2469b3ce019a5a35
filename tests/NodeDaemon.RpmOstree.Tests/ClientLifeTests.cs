using NodeDaemon.Core.Images;
using NodeDaemon.Testing;

namespace NodeDaemon.RpmOstree.Tests;

/// <summary>rpm-ostreed's own life as the client meets it: it exits when idle between our operations and is activated
/// again by the next one; the sysroot lock held by another program is waited out like any BUSY.</summary>
public sealed class ClientLifeTests
{
    private static readonly OstreeRefspec s_pinned = OstreeRefspec.ForImage(ImageReference.Parse(HostWorld.Pinned), verified: false);
    private static readonly Digest s_digest = Digest.Parse(HostWorld.Digest);

    [Fact]
    public async Task Between_operations_rpm_ostreed_exits_idle_and_the_next_one_activates_it()
    {
        await using var world = await HostWorld.StartAsync(faults: """{"lifecycle": {"idle-exit-seconds": 1}}""");
        var client = world.Client();
        await client.ReadStatusAsync(CancellationToken.None);
        var exits = world.Sim.Events.Count(e => e.Event == "rpmostreed-idle-exit");

        // Registered for good, our client would keep it alive forever; one operation at a time, it lets it go.
        await Until(() => world.Sim.Events.Count(e => e.Event == "rpmostreed-idle-exit") > exits);
        var staged = await client.StageAsync(s_pinned, s_digest, null, CancellationToken.None);

        Assert.Equal(s_digest, staged.ImageDigest);
        Assert.Contains(world.Sim.Events, e => e.Event == "rpmostreed-activated");
    }

    [Fact]
    public async Task A_register_that_meets_the_idle_exit_is_sent_again_and_activates_it()
    {
        // The exiting daemon keeps its name 1.5 s here and answers nothing meanwhile; the bus then says NoReply.
        await using var world = await HostWorld.StartAsync(faults: """{"lifecycle": {"idle-exit-seconds": 1, "exit-flush-ms": 1500}}""");
        await Until(() => world.Sim.Events.Any(e => e.Event == "rpmostreed-exiting"));

        var status = await world.Client().ReadStatusAsync(CancellationToken.None);

        Assert.NotNull(status.Booted);
        Assert.Contains(world.Sim.Events, e => e.Event == "rpmostreed-activated");
    }

    [Fact]
    public async Task Sysroot_locked_by_another_program_is_waited_out()
    {
        await using var world = await HostWorld.StartAsync(faults: """{"sysroot-locked": {"by": "bootc", "refusals": 2}}""");

        var staged = await world.Client().StageAsync(s_pinned, s_digest, null, CancellationToken.None);

        Assert.Equal(s_digest, staged.ImageDigest);
        Assert.Contains("System transaction in progress", world.Sim.StandardError, StringComparison.Ordinal);
    }

    private static Task Until(Func<bool> condition) => Poll.UntilAsync(condition, "the client's connection to change");
}
