using System.Diagnostics;
using System.Text.Json.Nodes;
using NodeDaemon.Core.Host;
using NodeDaemon.Core.Images;

namespace NodeDaemon.RpmOstree.Tests.Bootc;

/// <summary>The bootc backend against a fake bootc executable: the commands it runs and what it makes of the answers.</summary>
public sealed class BootcHostTests
{
    private static readonly OstreeRefspec s_pinned = OstreeRefspec.ForImage(ImageReference.Parse(BootcWorld.Pinned), verified: false);
    private static readonly Digest s_digest = Digest.Parse(BootcWorld.NewDigest);

    [Fact]
    public async Task Status_is_read_with_format_json()
    {
        using var world = new BootcWorld();

        var status = await world.Host().ReadStatusAsync(CancellationToken.None);

        Assert.Equal(Digest.Parse(BootcWorld.BootedDigest), status.Booted.ImageDigest);
        Assert.Equal($"ostree-unverified-registry:{BootcWorld.Repository}@{BootcWorld.BootedDigest}", status.Booted.ContainerImageReference);
        Assert.Null(status.Staged);
        Assert.Equal("42.20261015.0", status.Rollback!.Version);
        Assert.Equal(["status --format json"], world.Calls);
    }

    [Fact]
    public async Task An_old_bootc_that_rejects_format_is_asked_with_json_and_remembered()
    {
        using var world = new BootcWorld(s => s["legacy"] = true);
        var host = world.Host();

        await host.ReadStatusAsync(CancellationToken.None);
        await host.ReadStatusAsync(CancellationToken.None);

        Assert.Equal(["status --format json", "status --json", "status --json"], world.Calls);
    }

    [Fact]
    public async Task Stage_switches_then_makes_the_stage_download_only()
    {
        using var world = new BootcWorld();
        var progress = new RecordingProgress();

        var staged = await world.Host().StageAsync(s_pinned, s_digest, progress, CancellationToken.None);

        Assert.Equal(s_digest, staged.ImageDigest);
        Assert.True(staged.Staged);
        Assert.Equal([$"switch --transport registry {BootcWorld.Pinned}", "upgrade --download-only"], world.Actions);
        Assert.Equal(true, (bool?)world.State["host"]!["status"]!["staged"]!["downloadOnly"]);
        Assert.Contains(progress.Reports, p => p.Text == "Fetched layers: 3/3");
    }

    [Fact]
    public async Task A_verified_refspec_asks_bootc_to_enforce_the_signature_policy()
    {
        using var world = new BootcWorld();
        var verified = OstreeRefspec.ForImage(ImageReference.Parse(BootcWorld.Pinned), verified: true);

        await world.Host().StageAsync(verified, s_digest, null, CancellationToken.None);

        Assert.Equal($"switch --transport registry --enforce-container-sigpolicy {BootcWorld.Pinned}", world.Actions[0]);
    }

    [Fact]
    public async Task Stage_is_skipped_when_the_digest_is_already_staged()
    {
        using var world = new BootcWorld();
        var host = world.Host();
        await host.StageAsync(s_pinned, s_digest, null, CancellationToken.None);

        var again = await host.StageAsync(s_pinned, s_digest, null, CancellationToken.None);

        Assert.Equal(s_digest, again.ImageDigest);
        Assert.Equal(2, world.Actions.Count);
    }

    [Fact]
    public async Task On_a_bootc_without_download_only_the_stage_is_left_unlocked()
    {
        using var world = new BootcWorld(s => s["downloadOnlySupported"] = false);
        var host = world.Host();

        var staged = await host.StageAsync(s_pinned, s_digest, null, CancellationToken.None);

        Assert.Equal(s_digest, staged.ImageDigest);
        Assert.Equal([$"switch --transport registry {BootcWorld.Pinned}"], world.Actions);
    }

    [Fact]
    public async Task A_pin_by_a_multi_arch_index_is_satisfied_by_the_platform_manifest_bootc_records()
    {
        var index = "sha256:" + new string('1', 64);
        var pinned = $"{BootcWorld.Repository}@{index}";
        // bootc's imageDigest is ostree-ext's manifest_digest: the platform manifest pulled from the index.
        using var world = new BootcWorld(s => s["registry"]![pinned] = new JsonObject { ["digest"] = BootcWorld.NewDigest, ["checksum"] = new string('e', 64) });
        var host = world.Host();
        var refspec = OstreeRefspec.ForImage(ImageReference.Parse(pinned), verified: false);

        var staged = await host.StageAsync(refspec, Digest.Parse(index), null, CancellationToken.None);
        var again = await host.StageAsync(refspec, Digest.Parse(index), null, CancellationToken.None);
        await host.FinalizeAsync(staged.ImageDigest!.Value, CancellationToken.None);

        Assert.Equal(s_digest, staged.ImageDigest);
        Assert.Equal(s_digest, again.ImageDigest);
        Assert.Equal([$"switch --transport registry {pinned}", "upgrade --download-only", "upgrade --from-downloaded --apply"], world.Actions);
    }

    [Fact]
    public async Task A_moved_tag_is_a_digest_mismatch_and_is_not_finalized()
    {
        using var world = new BootcWorld();
        var expected = Digest.Parse("sha256:" + new string('c', 64));

        var error = await Assert.ThrowsAsync<HostException>(() => world.Host().StageAsync(s_pinned, expected, null, CancellationToken.None));

        Assert.Equal(HostErrorKind.DigestMismatch, error.Kind);
        Assert.Equal($"the pull of {BootcWorld.Pinned} staged {BootcWorld.NewDigest}, not {expected}; it will not be finalized", error.Message);
    }

    [Fact]
    public async Task A_failed_switch_reports_bootc_stderr_verbatim()
    {
        const string Message = "error: Switching: Pulling: Fetching manifest: failed to invoke method OpenImage: reading manifest sha256:aaaa in quay.io/example/node-os: unauthorized: access to the requested resource is not authorized";
        using var world = new BootcWorld(s => s["fail"] = new JsonObject { ["switch"] = Message + "\n\n" });

        var error = await Assert.ThrowsAsync<HostException>(() => world.Host().StageAsync(s_pinned, s_digest, null, CancellationToken.None));

        Assert.Equal(HostErrorKind.Failed, error.Kind);
        Assert.Equal(Message, error.Message);
    }

    [Fact]
    public async Task A_long_error_is_cut_to_2000_characters()
    {
        using var world = new BootcWorld(s => s["fail"] = new JsonObject { ["status"] = new string('x', 5000) });

        var error = await Assert.ThrowsAsync<HostException>(() => world.Host().ReadStatusAsync(CancellationToken.None));

        Assert.Equal(new string('x', 2000), error.Message);
    }

    [Fact]
    public async Task A_hung_bootc_is_killed_at_the_timeout()
    {
        using var world = new BootcWorld(s => s["hang"] = new JsonArray("switch"));
        var clock = Stopwatch.StartNew();

        // The timeout covers every bootc run, and the stage reads `bootc status` first: at 1 s a loaded machine timed out
        // the (healthy) status run before the hung switch was reached. The hung switch never ends by itself, so an end
        // at all is the kill.
        var error = await Assert.ThrowsAsync<HostException>(() =>
            world.Host(TimeSpan.FromSeconds(5)).StageAsync(s_pinned, s_digest, null, CancellationToken.None)).WaitAsync(TimeSpan.FromSeconds(90));

        Assert.Equal(HostErrorKind.TimedOut, error.Kind);
        Assert.StartsWith($"bootc switch --transport registry {BootcWorld.Pinned} did not finish within 5 s", error.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task A_path_that_is_not_a_registry_image_is_refused()
    {
        using var world = new BootcWorld();
        var local = OstreeRefspec.Parse("ostree-unverified-image:oci:/var/lib/images/os");

        var error = await Assert.ThrowsAsync<HostException>(() => world.Host().StageAsync(local, null, null, CancellationToken.None));

        Assert.Contains("registry images only", error.Message, StringComparison.Ordinal);
        Assert.Empty(world.Calls);
    }

    [Fact]
    public async Task Finalizing_a_download_only_stage_applies_it_through_bootc()
    {
        using var world = new BootcWorld();
        var host = world.Host();
        await host.StageAsync(s_pinned, s_digest, null, CancellationToken.None);

        await host.FinalizeAsync(s_digest, CancellationToken.None);

        Assert.Equal("upgrade --from-downloaded --apply", (string?)world.State["rebootRequestedBy"]);
        Assert.Equal(0, world.Rebooter.Requests);
    }

    [Fact]
    public async Task Finalizing_an_unlocked_stage_reboots_through_the_rebooter()
    {
        using var world = new BootcWorld(s => s["downloadOnlySupported"] = false);
        var host = world.Host();
        await host.StageAsync(s_pinned, s_digest, null, CancellationToken.None);

        await host.FinalizeAsync(s_digest, CancellationToken.None);

        Assert.Equal(1, world.Rebooter.Requests);
        Assert.Null(world.State["rebootRequestedBy"]);
        Assert.Single(world.Actions);
    }

    [Fact]
    public async Task A_stage_of_another_digest_is_never_finalized()
    {
        using var world = new BootcWorld();
        var host = world.Host();
        await host.StageAsync(s_pinned, s_digest, null, CancellationToken.None);
        var other = Digest.Parse("sha256:" + new string('c', 64));

        var error = await Assert.ThrowsAsync<HostException>(() => host.FinalizeAsync(other, CancellationToken.None));

        Assert.Contains($"no staged deployment of {other}", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, world.Rebooter.Requests);
        Assert.Null(world.State["rebootRequestedBy"]);
    }

    [Fact]
    public async Task Cleanup_refuses_to_drop_a_stage_and_passes_when_nothing_is_staged()
    {
        using var world = new BootcWorld();
        var host = world.Host();
        await host.CleanupStagedAsync(CancellationToken.None);
        await host.StageAsync(s_pinned, s_digest, null, CancellationToken.None);

        var error = await Assert.ThrowsAsync<HostException>(() => host.CleanupStagedAsync(CancellationToken.None));

        Assert.StartsWith("dropping a staged deployment is not supported by the bootc backend", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, world.Actions.Count);
    }
}
