using NodeDaemon.Core.Host;
using NodeDaemon.Core.Images;
using NodeDaemon.Core.Options;
using NodeDaemon.Sim.RpmOstree;

namespace NodeDaemon.RpmOstree.Tests;

/// <summary>Staging over D-Bus against the simulator: the locked rebase, progress, faults, retries.</summary>
public sealed class StageTests
{
    private static readonly OstreeRefspec s_pinned = OstreeRefspec.ForImage(ImageReference.Parse(HostWorld.Pinned), verified: false);
    private static readonly Digest s_digest = Digest.Parse(HostWorld.Digest);

    [Fact]
    public async Task Stages_a_pinned_image_locked_and_streams_layer_progress()
    {
        await using var world = await HostWorld.StartAsync();
        var progress = new RecordingProgress();

        var staged = await world.Client().StageAsync(s_pinned, s_digest, progress, CancellationToken.None);

        Assert.Equal(s_digest, staged.ImageDigest);
        Assert.Equal(s_pinned.ToString(), staged.ContainerImageReference);
        Assert.Equal(HostWorld.Digest, (string?)world.StagedInState!["container-image-reference-digest"]);
        Assert.Equal(true, (bool?)world.State["nodedaemon-sim"]!["staged-locked"]);
        Assert.Contains(progress.Reports, p => p.LayersTotal > 0 && p.LayersDone == p.LayersTotal);
        Assert.Contains(progress.Reports, p => p.Text.StartsWith("Pulling manifest", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_transaction_title_names_the_daemon_and_the_target()
    {
        await using var world = await HostWorld.StartAsync(speed: 0.5);
        var client = world.Client();

        var stage = client.StageAsync(s_pinned, s_digest, null, CancellationToken.None);
        var title = "";
        for (var i = 0; i < 50 && title.Length == 0; i++)
        {
            await Task.Delay(50);
            title = (await world.Client().ReadStatusAsync(CancellationToken.None)).ActiveTransaction ?? "";
        }

        await stage;
        Assert.Equal("Rebase", title);
    }

    [Fact]
    public async Task An_existing_stage_of_the_digest_is_not_pulled_again()
    {
        await using var world = await HostWorld.StartAsync();
        var client = world.Client();
        await client.StageAsync(s_pinned, s_digest, null, CancellationToken.None);
        var before = File.GetLastWriteTimeUtc(world.Sim.StatePath);
        var progress = new RecordingProgress();

        var again = await client.StageAsync(s_pinned, s_digest, progress, CancellationToken.None);

        Assert.Equal(s_digest, again.ImageDigest);
        Assert.Empty(progress.Reports);
        Assert.Equal(before, File.GetLastWriteTimeUtc(world.Sim.StatePath));
    }

    [Fact]
    public async Task A_tag_is_staged_with_the_digest_the_registry_resolves()
    {
        const string Tagged = HostWorld.Repository + ":stable";
        var resolved = "sha256:" + new string('b', 64);
        await using var world = await HostWorld.StartAsync(
            registry: "{\"" + Tagged + "\": {\"digest\": \"" + resolved + "\", \"version\": \"43.1\"}}");
        var refspec = OstreeRefspec.ForImage(ImageReference.Parse(Tagged), verified: true);

        var staged = await world.Client().StageAsync(refspec, expectedDigest: null, null, CancellationToken.None);

        Assert.Equal(Digest.Parse(resolved), staged.ImageDigest);
        Assert.Equal("ostree-image-signed:docker://" + Tagged, staged.ContainerImageReference);
        Assert.Equal("43.1", staged.Version);
    }

    [Fact]
    public async Task An_unknown_tag_fails_with_rpm_ostrees_message_verbatim()
    {
        await using var world = await HostWorld.StartAsync();
        var refspec = OstreeRefspec.ForImage(ImageReference.Parse(HostWorld.Repository + ":missing"), verified: false);

        var error = await Assert.ThrowsAsync<HostException>(() => world.Client().StageAsync(refspec, null, null, CancellationToken.None));

        Assert.Equal(HostErrorKind.Failed, error.Kind);
        Assert.Contains("manifest unknown", error.Message, StringComparison.Ordinal);
        Assert.StartsWith("Fetching manifest: failed to invoke method OpenImage", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_pull_is_reported_and_the_next_attempt_succeeds()
    {
        await using var world = await HostWorld.StartAsync(faults: """{"pull-fail": {"count": 1, "message": "error: registry timed out"}}""");
        var client = world.Client();

        var error = await Assert.ThrowsAsync<HostException>(() => client.StageAsync(s_pinned, s_digest, null, CancellationToken.None));
        Assert.Equal("error: registry timed out", error.Message);
        Assert.NotEqual(HostWorld.Digest, (string?)world.StagedInState?["container-image-reference-digest"]);

        var staged = await client.StageAsync(s_pinned, s_digest, null, CancellationToken.None);
        Assert.Equal(s_digest, staged.ImageDigest);
    }

    [Fact]
    public async Task Other_content_for_a_pinned_digest_fails_the_pull()
    {
        await using var world = await HostWorld.StartAsync(faults: """{"digest-moved": {}}""");

        var error = await Assert.ThrowsAsync<HostException>(() => world.Client().StageAsync(s_pinned, s_digest, null, CancellationToken.None));

        Assert.Equal(HostErrorKind.Failed, error.Kind);
        Assert.Contains($"Manifest does not match provided manifest digest {HostWorld.Digest}", error.Message, StringComparison.Ordinal);
        Assert.NotEqual(s_pinned.ToString(), (string?)world.StagedInState?["container-image-reference"]);
    }

    [Fact]
    public async Task A_pin_by_a_multi_arch_index_stages_the_platform_manifest_and_is_the_target()
    {
        var index = "sha256:" + new string('1', 64);
        var platform = "sha256:" + new string('2', 64);
        var other = "sha256:" + new string('3', 64);
        var registry = $$$$"""{"{{{{HostWorld.Repository}}}}@{{{{index}}}}": {"index": {"amd64": "{{{{platform}}}}", "arm64": "{{{{other}}}}"}}}""";
        await using var world = await HostWorld.StartAsync(registry: registry);
        var client = world.Client();
        var pinned = OstreeRefspec.ForImage(ImageReference.Parse($"{HostWorld.Repository}@{index}"), verified: false);

        var staged = await client.StageAsync(pinned, Digest.Parse(index), null, CancellationToken.None);
        var again = await client.StageAsync(pinned, Digest.Parse(index), null, CancellationToken.None);

        Assert.Equal(Digest.Parse(platform), staged.ImageDigest);
        Assert.Equal(pinned.ToString(), staged.ContainerImageReference);
        Assert.Equal(staged, again);
        Assert.Equal(1, world.Sim.Events.Count(e => e.Event == "transaction-started" && e.Method == "Rebase"));

        await client.FinalizeAsync(Digest.Parse(platform), CancellationToken.None);
        Assert.Equal(SimulatorScript.RebootExitCode, await world.Sim.WaitForExitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_hung_pull_is_cancelled_at_the_timeout_with_a_clear_error()
    {
        await using var world = await HostWorld.StartAsync(faults: """{"pull-hang": true}""");
        var client = world.Client(new StagingOptions { TransactionTimeout = TimeSpan.FromSeconds(1) });

        var error = await Assert.ThrowsAsync<HostException>(() => client.StageAsync(s_pinned, s_digest, null, CancellationToken.None));

        Assert.Equal(HostErrorKind.TimedOut, error.Kind);
        Assert.Contains("cancelled", error.Message, StringComparison.Ordinal);
        Assert.Null((await client.ReadStatusAsync(CancellationToken.None)).ActiveTransaction);
    }

    [Fact]
    public async Task Another_clients_transaction_is_waited_for_then_the_stage_runs()
    {
        await using var world = await HostWorld.StartAsync(faults: """{"busy": {"seconds": 1, "title": "automatic-update"}}""");

        var staged = await world.Client().StageAsync(s_pinned, s_digest, null, CancellationToken.None);

        Assert.Equal(s_digest, staged.ImageDigest);
    }

    [Fact]
    public async Task A_host_busy_past_the_wait_is_a_busy_error_with_rpm_ostrees_message()
    {
        await using var world = await HostWorld.StartAsync(faults: """{"busy": {"seconds": 30, "title": "automatic-update"}}""");
        var client = world.Client(new StagingOptions { BusyWait = TimeSpan.FromMilliseconds(500) });

        var error = await Assert.ThrowsAsync<HostException>(() => client.StageAsync(s_pinned, s_digest, null, CancellationToken.None));

        Assert.Equal(HostErrorKind.Busy, error.Kind);
        Assert.Contains("Transaction in progress", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rpm_ostreed_dying_mid_pull_is_seen_and_a_restarted_daemon_stages()
    {
        await using var world = await HostWorld.StartAsync(faults: """{"die": {"after-signals": 3, "exit-code": 99}}""");
        var client = world.Client();

        var error = await Assert.ThrowsAsync<HostException>(() => client.StageAsync(s_pinned, s_digest, null, CancellationToken.None));
        Assert.Contains("went away", error.Message, StringComparison.Ordinal);
        Assert.Equal(99, await world.Sim.WaitForExitAsync(TimeSpan.FromSeconds(5)));

        await File.WriteAllTextAsync(world.Sim.FaultsPath, "{}");
        await world.Sim.RestartAsync();
        var staged = await client.StageAsync(s_pinned, s_digest, null, CancellationToken.None);
        Assert.Equal(s_digest, staged.ImageDigest);
    }

    [Fact]
    public async Task A_restarted_daemon_joins_its_own_running_transaction()
    {
        await using var world = await HostWorld.StartAsync(speed: 0.5);
        var first = world.Client();
        using var crash = new CancellationTokenSource();
        var abandoned = first.StageAsync(s_pinned, s_digest, null, crash.Token);
        await Task.Delay(400);
        Assert.NotNull((await world.Client().ReadStatusAsync(CancellationToken.None)).ActiveTransaction);
        crash.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
        first.Dispose();

        var progress = new RecordingProgress();
        var staged = await world.Client().StageAsync(s_pinned, s_digest, progress, CancellationToken.None);

        Assert.Equal(s_digest, staged.ImageDigest);
        Assert.NotEmpty(progress.Reports);
    }

    [Fact]
    public async Task Registry_credentials_are_installed_before_the_pull()
    {
        await using var world = await HostWorld.StartAsync();
        var source = Path.Combine(Path.GetDirectoryName(world.AuthDestination)!, "kubelet-config.json");
        await File.WriteAllTextAsync(source, """{"auths": {"quay.io": {"auth": "eDp5"}}}""");
        var client = world.Client(auth: new AuthFileInstaller(source, world.AuthDestination));

        await client.StageAsync(s_pinned, s_digest, null, CancellationToken.None);

        Assert.Equal(await File.ReadAllTextAsync(source), await File.ReadAllTextAsync(world.AuthDestination));
    }

    [Fact]
    public async Task Broken_credentials_stop_the_stage_before_any_transaction()
    {
        await using var world = await HostWorld.StartAsync();
        var source = Path.Combine(Path.GetDirectoryName(world.AuthDestination)!, "kubelet-config.json");
        await File.WriteAllTextAsync(source, "{not json");
        var client = world.Client(auth: new AuthFileInstaller(source, world.AuthDestination));

        var error = await Assert.ThrowsAsync<HostException>(() => client.StageAsync(s_pinned, s_digest, null, CancellationToken.None));

        Assert.Contains("not valid JSON", error.Message, StringComparison.Ordinal);
        Assert.NotEqual(HostWorld.Digest, (string?)world.StagedInState?["container-image-reference-digest"]);
    }
}
