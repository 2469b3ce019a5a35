using NodeDaemon.Core.Host;
using NodeDaemon.Core.Images;
using NodeDaemon.Sim.RpmOstree;

namespace NodeDaemon.RpmOstree.Tests;

/// <summary>Finalization and cleanup over D-Bus: the reboot request lands where the simulator records it.</summary>
/// <remarks>Each finalize test runs against today's rpm-ostree (it compares the image digest, since v2025.7) and the
/// older one (it compares the stage's ostree commit), the simulator's <c>finalize-compares</c> modes.</remarks>
public sealed class FinalizeTests
{
    /// <summary>The simulator's two FinalizeDeployment comparisons.</summary>
    public static TheoryData<string> Modes() => ["digest", "commit"];

    private static readonly OstreeRefspec s_pinned = OstreeRefspec.ForImage(ImageReference.Parse(HostWorld.Pinned), verified: false);
    private static readonly Digest s_digest = Digest.Parse(HostWorld.Digest);

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Finalizing_our_locked_stage_unlocks_it_and_requests_the_reboot(string mode)
    {
        await using var world = await HostWorld.StartAsync(faults: Compares(mode));
        var client = world.Client();
        await client.StageAsync(s_pinned, s_digest, null, CancellationToken.None);

        await client.FinalizeAsync(s_digest, CancellationToken.None);

        Assert.Equal(SimulatorScript.RebootExitCode, await world.Sim.WaitForExitAsync(TimeSpan.FromSeconds(10)));
        var sim = world.State["nodedaemon-sim"]!;
        Assert.Equal("FinalizeDeployment", (string?)sim["reboot-requested"]!["by"]);
        Assert.Equal(false, (bool?)sim["staged-locked"]);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task A_stage_of_another_digest_is_never_finalized(string mode)
    {
        await using var world = await HostWorld.StartAsync(faults: Compares(mode));
        var client = world.Client();
        await client.StageAsync(s_pinned, s_digest, null, CancellationToken.None);
        var other = Digest.Parse("sha256:" + new string('c', 64));

        var error = await Assert.ThrowsAsync<HostException>(() => client.FinalizeAsync(other, CancellationToken.None));

        Assert.Contains("no staged deployment of " + other, error.Message, StringComparison.Ordinal);
        Assert.Equal(true, (bool?)world.State["nodedaemon-sim"]!["staged-locked"]);
        Assert.Null(world.State["nodedaemon-sim"]!["reboot-requested"]);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task An_unlocked_stage_is_applied_by_a_logind_reboot(string mode)
    {
        await using var world = await HostWorld.StartAsync(faults: Compares(mode));
        var client = world.Client();
        await client.StageAsync(s_pinned, s_digest, null, CancellationToken.None);
        // Someone (or a daemon that lost its notes) already unlocked it: the finalization answer says so.
        var state = world.State;
        state["nodedaemon-sim"]!["staged-locked"] = false;
        await File.WriteAllTextAsync(world.Sim.StatePath, state.ToJsonString());
        await world.Sim.RestartAsync();

        await client.FinalizeAsync(s_digest, CancellationToken.None);

        Assert.Equal(SimulatorScript.RebootExitCode, await world.Sim.WaitForExitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal("org.freedesktop.login1.Manager.Reboot", (string?)world.State["nodedaemon-sim"]!["reboot-requested"]!["by"]);
    }

    [Fact]
    public async Task Todays_rpm_ostree_is_sent_the_image_digest_once()
    {
        await using var world = await HostWorld.StartAsync();
        var client = world.Client();
        await client.StageAsync(s_pinned, s_digest, null, CancellationToken.None);

        await client.FinalizeAsync(s_digest, CancellationToken.None);

        Assert.Equal(SimulatorScript.RebootExitCode, await world.Sim.WaitForExitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal([(true, "")], FinalizeAnswers(world));
    }

    [Fact]
    public async Task An_older_rpm_ostree_is_asked_again_with_the_commit_it_names()
    {
        await using var world = await HostWorld.StartAsync(faults: Compares("commit"));
        var client = world.Client();
        var staged = await client.StageAsync(s_pinned, s_digest, null, CancellationToken.None);

        await client.FinalizeAsync(s_digest, CancellationToken.None);

        Assert.Equal(SimulatorScript.RebootExitCode, await world.Sim.WaitForExitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal([(false, $"Expected staged base checksum {HostWorld.Digest}, but found {staged.Checksum}"), (true, "")], FinalizeAnswers(world));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task A_shutdown_inhibitor_is_its_own_kind_of_refusal_and_leaves_the_stage_locked(string mode)
    {
        await using var world = await HostWorld.StartAsync(
            faults: $$$"""{"finalize-compares": "{{{mode}}}", "inhibitor": {"who": "backup.service", "why": "Nightly backup", "seconds": 3}}""");
        var client = world.Client();
        await client.StageAsync(s_pinned, s_digest, null, CancellationToken.None);

        var error = await Assert.ThrowsAsync<HostException>(() => client.FinalizeAsync(s_digest, CancellationToken.None));

        Assert.Equal(HostErrorKind.Inhibited, error.Kind);
        Assert.Equal("Reboot blocked by a systemd inhibitor lock in `block` mode; Held by: backup.service; Reason: Nightly backup", error.Message);
        Assert.Equal(true, (bool?)world.State["nodedaemon-sim"]!["staged-locked"]);
        Assert.Null(world.State["nodedaemon-sim"]!["reboot-requested"]);

        // Held for 3 s: once it is gone, the same call finalizes.
        await Task.Delay(TimeSpan.FromSeconds(3.5));
        await client.FinalizeAsync(s_digest, CancellationToken.None);
        Assert.Equal(SimulatorScript.RebootExitCode, await world.Sim.WaitForExitAsync(TimeSpan.FromSeconds(10)));
    }

    [Theory]
    [InlineData("before-unlock", true)]
    [InlineData("after-unlock", false)]
    public async Task Rpm_ostreed_dying_in_the_finalization_is_no_answer_not_an_accepted_reboot(string point, bool lockedAfter)
    {
        await using var world = await HostWorld.StartAsync(faults: $$"""{"die-in-finalize": "{{point}}"}""");
        var client = world.Client();
        await client.StageAsync(s_pinned, s_digest, null, CancellationToken.None);

        var error = await Assert.ThrowsAsync<HostException>(() => client.FinalizeAsync(s_digest, CancellationToken.None));

        // Unavailable: the agent leaves its note unanswered and asks again, rather than waiting for a reboot never coming.
        Assert.Equal(HostErrorKind.Unavailable, error.Kind);
        Assert.Equal(99, await world.Sim.WaitForExitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(lockedAfter, (bool?)world.State["nodedaemon-sim"]!["staged-locked"]);
        Assert.Null(world.State["nodedaemon-sim"]!["reboot-requested"]);
    }

    [Fact]
    public async Task After_a_reboot_logind_refused_the_client_lets_rpm_ostreed_exit_idle_and_then_drops_the_stage()
    {
        await using var world = await HostWorld.StartAsync(faults: """{"reboot-refused": {"idle-exit-seconds": 2}}""");
        var client = world.Client();
        await client.StageAsync(s_pinned, s_digest, null, CancellationToken.None);

        // rpm-ostreed cannot see systemctl's refusal: the finalization succeeds, unlocked, and nothing reboots.
        await client.FinalizeAsync(s_digest, CancellationToken.None);
        Assert.Equal(false, (bool?)world.State["nodedaemon-sim"]!["staged-locked"]);
        Assert.Null(world.State["nodedaemon-sim"]!["reboot-requested"]);

        var error = await Assert.ThrowsAsync<HostException>(() => client.CleanupStagedAsync(CancellationToken.None));
        Assert.Contains("Reboot initiated, cannot start new transaction", error.Message, StringComparison.Ordinal);

        // Registered, we would keep it up for ever; unregistered, it exits idle, and activation brings a fresh one.
        await client.ReadStatusAsync(CancellationToken.None);
        Assert.Equal(0, await world.Sim.WaitForExitAsync(TimeSpan.FromSeconds(20)));
        await world.Sim.RestartAsync();
        await client.CleanupStagedAsync(CancellationToken.None);
        Assert.Null(world.StagedInState);
    }

    [Fact]
    public async Task Cleanup_drops_the_stage()
    {
        await using var world = await HostWorld.StartAsync();
        var client = world.Client();
        await client.StageAsync(s_pinned, s_digest, null, CancellationToken.None);

        await client.CleanupStagedAsync(CancellationToken.None);

        Assert.Null((await client.ReadStatusAsync(CancellationToken.None)).Staged);
        Assert.Null(world.StagedInState);
    }

    private static string Compares(string mode) => $$"""{"finalize-compares": "{{mode}}"}""";

    /// <summary>How every FinalizeDeployment the simulator ran ended, in order.</summary>
    private static List<(bool Success, string Message)> FinalizeAnswers(HostWorld world) =>
        [.. world.Sim.Events.Where(e => e.Event == "transaction-finished" && e.Method == "FinalizeDeployment")
            .Select(e => ((bool)e.Fields["success"]!, (string)e.Fields["message"]!))];
}
