using Microsoft.Extensions.Logging.Abstractions;
using NodeDaemon.Kubernetes.Api;
using NodeDaemon.Kubernetes.Tests.Drain;
using NodeDaemon.Kubernetes.Watch;

namespace NodeDaemon.Kubernetes.Tests.Watch;

/// <summary>A streaming list (<c>sendInitialEvents</c>): the initial state, then its end told; a server that refuses it, told as incomplete.</summary>
public sealed class StreamingListTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_initial_state_ends_with_the_servers_marker()
    {
        await using var world = await World.StartAsync(DrainWorld.Seed(), output: output);
        var seen = await FirstEventsAsync(world, timeout => KubePaths.BudgetsStream("shop", timeout));

        Assert.Equal(["ADDED web", "synced True"], seen);
        Assert.Equal(1, world.Server.Requests["watch poddisruptionbudgets"]);
    }

    [Fact]
    public async Task A_server_that_refuses_the_streaming_list_is_watched_without_it()
    {
        await using var world = await World.StartAsync(DrainWorld.Seed(), output: output);
        // Without resourceVersionMatch=NotOlderThan the server answers 422, as kube-apiserver does without WatchList.
        var seen = await FirstEventsAsync(world, timeout => $"{KubePaths.Budgets("shop")}?watch=true&sendInitialEvents=true&allowWatchBookmarks=true&timeoutSeconds={timeout}");

        Assert.Equal(["synced False", "ADDED web"], seen);
        Assert.Equal(2, world.Server.Requests["watch poddisruptionbudgets"]);
    }

    private static async Task<List<string>> FirstEventsAsync(World world, Func<int, string> streaming)
    {
        using var api = KubeApi.FromKubeconfig(world.Server.KubeconfigPath, TimeSpan.FromSeconds(10), NoApiRequestObserver.Instance, null);
        var watch = new ResourceWatch(api, world.Options.Transport, TimeProvider.System, NullLogger.Instance, "shop's budgets");
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        List<string> seen = [];
        await foreach (var change in watch.WatchAsync(KubePaths.Budgets("shop"), (version, timeout) => KubePaths.BudgetsWatch("shop", version, timeout),
            bound.Token, noList: true, streaming: streaming))
        {
            seen.Add(change switch
            {
                WatchEvent.Synced synced => $"synced {synced.Complete}",
                WatchEvent.Changed one => $"{one.Type} {one.Object["metadata"]?["name"]}",
                _ => "listed",
            });
            if (seen.Count == 2)
            {
                break;
            }
        }

        return seen;
    }
}
