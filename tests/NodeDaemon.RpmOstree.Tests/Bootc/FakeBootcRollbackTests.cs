using System.Text.Json.Nodes;
using NodeDaemon.Sim.Harness;

namespace NodeDaemon.RpmOstree.Tests.Bootc;

/// <summary>The fake bootc's <c>rollback</c> (bootc 534c76ea: cli.rs rollback_ostree, deploy.rs rollback) and its
/// simulated boot with the <c>hostFallback</c> fault, driven as a person would drive bootc: the command line.</summary>
public sealed class FakeBootcRollbackTests
{
    private static readonly string s_oldDigest = "sha256:" + new string('9', 64);

    [Fact]
    public async Task Rollback_queues_the_rollback_discards_a_stage_and_the_next_boot_swaps()
    {
        using var world = Staged(new BootcWorld());

        var result = await RunAsync(world, "rollback");

        Assert.Equal((0, "Next boot: rollback deployment\n"), (result.ExitCode, result.StandardOutput));
        var host = world.State["host"]!;
        Assert.Null(host["status"]!["staged"]);
        Assert.True((bool)host["status"]!["rollbackQueued"]!);
        Assert.Equal("rollback", (string?)host["spec"]!["bootOrder"]);
        Assert.Null(world.State["rebootRequestedBy"]);

        await RunAsync(world, "--simulate-boot");
        Assert.Equal((s_oldDigest, BootcWorld.BootedDigest), Digests(world));
        Assert.False((bool)world.State["host"]!["status"]!["rollbackQueued"]!);
    }

    [Fact]
    public async Task A_second_rollback_reverts_the_queued_one()
    {
        using var world = new BootcWorld();
        await RunAsync(world, "rollback");

        var result = await RunAsync(world, "rollback");

        Assert.Equal("notice: Reverting queued rollback state\nNext boot: current deployment\n", result.StandardOutput);
        Assert.False((bool)world.State["host"]!["status"]!["rollbackQueued"]!);
        Assert.Equal("default", (string?)world.State["host"]!["spec"]!["bootOrder"]);
    }

    [Fact]
    public async Task Without_a_rollback_it_fails_with_bootcs_error_chain()
    {
        using var world = new BootcWorld(s => s["host"]!["status"]!["rollback"] = null);

        var result = await RunAsync(world, "rollback", "--apply");

        Assert.Equal((1, "error: Rollback: Rollback (ostree): No rollback available\n"), (result.ExitCode, result.StandardError));
        Assert.Null(world.State["rebootRequestedBy"]);
    }

    [Fact]
    public async Task Apply_reboots_and_soft_reboot_is_only_for_a_capable_rollback()
    {
        using var world = new BootcWorld();
        Assert.Equal(0, (await RunAsync(world, "rollback", "--apply")).ExitCode);
        Assert.Equal("rollback --apply", (string?)world.State["rebootRequestedBy"]);

        using var soft = new BootcWorld();
        var required = await RunAsync(soft, "rollback", "--soft-reboot", "required");
        Assert.Equal((1, "error: Rollback: Rollback (ostree): Handling soft reboot: Soft reboot was required but rollback deployment is not soft-reboot capable\n"),
            (required.ExitCode, required.StandardError));
        // The new order was written before the soft-reboot check.
        Assert.True((bool)soft.State["host"]!["status"]!["rollbackQueued"]!);
        Assert.Null(soft.State["softRebootRequestedBy"]);

        using var auto = new BootcWorld();
        Assert.Equal(0, (await RunAsync(auto, "rollback", "--soft-reboot", "auto")).ExitCode);
        Assert.Null(auto.State["softRebootRequestedBy"]);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_boot_into_a_fallback_digest_comes_up_on_the_old_image(bool greenbootRollback)
    {
        using var world = Staged(new BootcWorld(s =>
        {
            s["hostFallback"] = new JsonArray(BootcWorld.NewDigest);
            s["greenbootRollback"] = greenbootRollback;
        }));

        var boot = await RunAsync(world, "--simulate-boot");

        Assert.Equal(0, boot.ExitCode);
        Assert.True((bool)JsonNode.Parse(boot.StandardOutput)!["fallback"]!);
        Assert.Equal((BootcWorld.BootedDigest, BootcWorld.NewDigest), Digests(world));
        // Without greenboot's `bootc rollback` the new image stays queued for the next boot.
        Assert.Equal(!greenbootRollback, (bool)world.State["host"]!["status"]!["rollbackQueued"]!);
        Assert.DoesNotContain(world.Calls, c => c.Contains("simulate", StringComparison.Ordinal));
    }

    private static BootcWorld Staged(BootcWorld world)
    {
        var state = world.State;
        var status = state["host"]!["status"]!;
        var staged = status["booted"]!.DeepClone();
        staged["image"]!["imageDigest"] = BootcWorld.NewDigest;
        staged["image"]!["image"]!["image"] = BootcWorld.Pinned;
        status["staged"] = staged;
        world.State = state;
        return world;
    }

    private static (string? Booted, string? Rollback) Digests(BootcWorld world)
    {
        var status = world.State["host"]!["status"]!;
        return ((string?)status["booted"]!["image"]!["imageDigest"], (string?)status["rollback"]!["image"]!["imageDigest"]);
    }

    private static Task<ToolResult> RunAsync(BootcWorld world, params string[] args) =>
        Tool.RunAsync(world.Executable, args, TimeSpan.FromSeconds(20));
}
