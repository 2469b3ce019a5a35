using System.Net.Sockets;
using NodeDaemon.Sim.KubeApi;
using NodeDaemon.Kubernetes.Watch;
using NodeDaemon.Sim.KubeApi.Faults;
using NodeDaemon.Testing;

namespace NodeDaemon.Kubernetes.Tests.Watch;

public sealed class NodeWatchTests(ITestOutputHelper output)
{
    private const string Desired = "nodedaemon.io/desired-image";

    [Fact]
    public async Task A_change_arrives_on_the_open_stream_without_waiting_for_a_timer()
    {
        // A 300 s watch timeout and a 60 s bookmark interval: only the stream itself can deliver the change in time.
        await using var world = await World.StartAsync(output: output, options: World.FastOptions(t => t with { WatchTimeout = TimeSpan.FromSeconds(300) }));
        await using var probe = new WatchProbe(world.Client);
        var first = await probe.NextAsync(_ => true);
        Assert.Equal("node-a", first.Name);

        world.Annotate(Desired, "quay.example/os@sha256:" + new string('1', 64));
        var changed = await probe.NextAsync(WatchProbe.Desired("quay.example/os@sha256:" + new string('1', 64)));

        Assert.NotEqual(first.ResourceVersion, changed.ResourceVersion);
        // No list: the watch opened without a resourceVersion brought the node's state first.
        Assert.Equal(0, world.Server.Requests["list nodes"]);
        Assert.Equal(1, world.Server.Requests["watch nodes"]);
        Assert.Equal(0, world.Server.Requests["get nodes"]);
    }

    [Fact]
    public async Task Changes_to_other_nodes_are_not_delivered()
    {
        await using var world = await World.StartAsync(output: output);
        await using var probe = new WatchProbe(world.Client);
        await probe.NextAsync(_ => true);

        world.Annotate(Desired, "other", name: "node-b");
        world.Annotate(Desired, "mine");
        var next = await probe.NextAsync(_ => true);

        Assert.Equal("node-a", next.Name);
        Assert.Equal("mine", next.Annotation(Desired));
    }

    [Fact]
    public async Task The_watch_reconnects_when_the_server_ends_it_after_timeoutSeconds()
    {
        await using var world = await World.StartAsync(output: output, options: World.FastOptions(t => t with { WatchTimeout = TimeSpan.FromSeconds(1) }));
        await using var probe = new WatchProbe(world.Client);
        await probe.NextAsync(_ => true);
        await WaitUntilAsync(() => world.Server.Requests["watch nodes"] >= 2, "a second watch after the first timed out");

        world.Annotate(Desired, "after-timeout");

        await probe.NextAsync(WatchProbe.Desired("after-timeout"));
        Assert.Equal(0, world.Server.Requests["list nodes"]);
    }

    [Fact]
    public async Task Every_change_arrives_through_streams_ended_after_each_event()
    {
        await using var world = await World.StartAsync(output: output);
        // Faults apply to streams opened after they are set.
        world.Server.Faults.Set(new FaultSettings { WatchCutAfterEvents = 1 });
        await using var probe = new WatchProbe(world.Client);
        await probe.NextAsync(_ => true);

        for (var i = 0; i < 5; i++)
        {
            world.Annotate(Desired, $"image-{i}");
            await probe.NextAsync(WatchProbe.Desired($"image-{i}"));
        }

        Assert.True(world.Server.Requests["watch nodes"] >= 5, $"watches: {world.Server.Requests["watch nodes"]}");
        Assert.Equal(0, world.Server.Requests["list nodes"]);
    }

    [Fact]
    public async Task Every_change_arrives_through_reset_connections()
    {
        await using var world = await World.StartAsync(output: output);
        // A reset right after an event can lose it in the kernel's buffer, and then every replay of it too: reset by
        // time instead, as a flaky network does.
        world.Server.Faults.Set(new FaultSettings { WatchCutAfterMilliseconds = 150, WatchCutAbort = true });
        await using var probe = new WatchProbe(world.Client);
        await probe.NextAsync(_ => true);

        for (var i = 0; i < 5; i++)
        {
            world.Annotate(Desired, $"image-{i}");
            await probe.NextAsync(WatchProbe.Desired($"image-{i}"));
            await Task.Delay(100);
        }

        Assert.True(world.Server.Requests["watch nodes"] >= 3, $"watches: {world.Server.Requests["watch nodes"]}");
        Assert.Equal(0, world.Server.Requests["list nodes"]);
    }

    [Fact]
    public async Task Changes_made_while_the_stream_was_down_are_replayed_from_the_last_version()
    {
        await using var world = await World.StartAsync(output: output);
        world.Server.Faults.Set(new FaultSettings { WatchCutAfterMilliseconds = 200 });
        await using var probe = new WatchProbe(world.Client);
        await probe.NextAsync(_ => true);
        await WaitUntilAsync(() => world.Server.Requests["watch nodes"] >= 2, "a reconnect");

        world.Annotate(Desired, "one");
        world.Annotate(Desired, "two");

        await probe.NextAsync(WatchProbe.Desired("one"));
        await probe.NextAsync(WatchProbe.Desired("two"));
    }

    [Fact]
    public async Task A_watch_whose_resumes_keep_failing_starts_again_from_the_current_state()
    {
        await using var world = await World.StartAsync(output: output);
        // Every stream ends after 100 ms, and every watch that resumes from a version fails: as when a reset right behind
        // the replayed events overtakes them, the version never moves.
        world.Server.Faults.Set(new FaultSettings
        {
            WatchCutAfterMilliseconds = 100,
            Errors = [new ErrorFault { Status = 500, Rate = 1, Verb = "watch", Resource = "nodes", ResumedWatchesOnly = true }],
        });
        await using var probe = new WatchProbe(world.Client);
        await probe.NextAsync(_ => true);
        await WaitUntilAsync(() => world.Server.Requests.Errors().GetValueOrDefault("watch nodes 500") >= 1, "a failed resume");
        world.Annotate(Desired, "after-failed-resumes");

        await probe.NextAsync(WatchProbe.Desired("after-failed-resumes"));
        Assert.InRange(world.Server.Requests.Errors().GetValueOrDefault("watch nodes 500"), ResourceWatch.FailedResumesBeforeAfresh, int.MaxValue);
        Assert.Equal(0, world.Server.Requests["list nodes"]);
    }

    [Fact]
    public async Task An_expired_version_makes_the_watch_start_again_from_the_current_state()
    {
        await using var world = await World.StartAsync(output: output);
        await using var probe = new WatchProbe(world.Client);
        await probe.NextAsync(_ => true);

        var outage = world.Server.MakeUnavailableAsync(TimeSpan.FromMilliseconds(500));
        await WaitUntilRefusedAsync(world.Server);
        world.Annotate(Desired, "while-compacted");
        world.Server.Store.Compact();
        await outage;

        // The reconnect from the old version gets 410: only a watch from the current state can see the change.
        await probe.NextAsync(WatchProbe.Desired("while-compacted"));
        Assert.Equal(0, world.Server.Requests["list nodes"]);
        Assert.True(world.Server.Requests["watch nodes"] >= 3, $"watches: {world.Server.Requests["watch nodes"]}");
    }

    [Fact]
    public async Task The_watch_rides_out_refused_connections()
    {
        await using var world = await World.StartAsync(output: output);
        await using var probe = new WatchProbe(world.Client);
        await probe.NextAsync(_ => true);

        var outage = world.Server.MakeUnavailableAsync(TimeSpan.FromMilliseconds(700));
        await WaitUntilRefusedAsync(world.Server);
        world.Annotate(Desired, "during-outage");
        await outage;

        await probe.NextAsync(WatchProbe.Desired("during-outage"));
        world.Annotate(Desired, "after-outage");
        await probe.NextAsync(WatchProbe.Desired("after-outage"));
    }

    [Fact]
    public async Task The_watch_retries_through_server_errors()
    {
        await using var world = await World.StartAsync(output: output);
        world.Server.Faults.Set(new FaultSettings { Errors = [new ErrorFault { Status = 500, Rate = 1, Resource = "nodes" }] });
        await using var probe = new WatchProbe(world.Client);
        await WaitUntilAsync(() => world.Server.Requests["watch nodes"] >= 3, "watch retries");
        Assert.Equal(0, probe.Count);

        world.Server.Faults.Set(new FaultSettings { Seed = 2, Errors = [new ErrorFault { Status = 500, Rate = 0.5, Resource = "nodes", Verb = "watch" }] });
        await probe.NextAsync(_ => true);
        world.Annotate(Desired, "through-500s");

        await probe.NextAsync(WatchProbe.Desired("through-500s"));
    }

    [Fact]
    public async Task Bookmarks_move_the_version_without_yielding_a_snapshot()
    {
        await using var world = await World.StartAsync(output: output, serverOptions: new TestApiServerOptions { BookmarkInterval = TimeSpan.FromMilliseconds(50) });
        await using var probe = new WatchProbe(world.Client);
        await probe.NextAsync(_ => true);
        // Other objects move the global version; bookmarks carry it to the watcher.
        var before = world.Server.Requests.Bookmarks("nodes");
        world.Annotate(Desired, "elsewhere", name: "node-b");
        await Poll.UntilAsync(() => world.Server.Requests.Bookmarks("nodes") >= before + 2, "bookmarks after the change elsewhere");

        world.Annotate(Desired, "after-bookmarks");

        // The stream carries the bookmarks before this change: had one yielded a snapshot, it would come first.
        Assert.Equal("after-bookmarks", (await probe.NextAsync(_ => true)).Annotation(Desired));
        Assert.Equal(0, world.Server.Requests["list nodes"]);
        Assert.Equal(1, world.Server.Requests["watch nodes"]);
    }

    [Fact]
    public async Task A_stream_silent_past_its_timeout_is_treated_as_broken()
    {
        await using var server = new SilentApiServer();
        var kubeconfig = Path.Combine(Path.GetTempPath(), $"nodedaemon-silent-{Guid.NewGuid():N}.yaml");
        Kubeconfig.Write(kubeconfig, server.Url);
        var logger = new TestLogger(output);
        try
        {
            var options = World.FastOptions(t => t with { WatchTimeout = TimeSpan.FromSeconds(1), RequestTimeout = TimeSpan.FromMilliseconds(300) });
            using var client = KubeNodeClient.Create(kubeconfig, options, TimeProvider.System, logger);
            // The watch starts without a list, so nothing at all arrives: only the bound on the silent stream ends it.
            await using var probe = new WatchProbe(client);

            await WaitUntilAsync(() => server.Watches >= 2, "a new watch after the silent one");

            Assert.Contains(logger.Lines, l => l.Contains("silent past its timeout", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(kubeconfig);
        }
    }

    private static Task WaitUntilAsync(Func<bool> condition, string what) => Poll.UntilAsync(condition, what);

    private static async Task WaitUntilRefusedAsync(TestApiServer server)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            Assert.False(cts.IsCancellationRequested, "the server kept listening");
            try
            {
                using var socket = new TcpClient();
                await socket.ConnectAsync("127.0.0.1", server.Url.Port, cts.Token);
            }
            catch (SocketException)
            {
                return;
            }

            await Task.Delay(10);
        }
    }
}
