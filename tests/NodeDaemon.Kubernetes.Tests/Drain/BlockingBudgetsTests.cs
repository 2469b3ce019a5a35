using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using NodeDaemon.Kubernetes.Api;
using NodeDaemon.Kubernetes.Drain;
using NodeDaemon.Sim.KubeApi.Faults;
using NodeDaemon.Sim.KubeApi.Store;
using NodeDaemon.Testing;

namespace NodeDaemon.Kubernetes.Tests.Drain;

/// <summary>A refused pod's wait on its budget: the watched status ends it, else the fallback tick (on a fake clock).</summary>
public sealed class BlockingBudgetsTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(5);
    private static readonly DrainPod Web = new("shop", "web-7d9f8c6b5-fghij", "uid", false, false, false, true, false, false);

    [Fact]
    public async Task A_budget_that_turns_to_allow_ends_the_wait_with_no_time_passing()
    {
        // minAvailable 3 of 3: nothing allowed until the admin relaxes it.
        await using var world = await World.StartAsync(DrainWorld.Seed(DrainWorld.WebMinAvailable(3)), output: output);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var api = Api(world);
        await using var budgets = new BlockingBudgets(api, world.Options, time, NullLogger.Instance);
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var wait = budgets.WaitAsync(Web, "shop", "web", budgets.Mark(), Tick, bound.Token);
        await WatchedAsync(world);
        Assert.False(wait.IsCompleted);
        SetMinAvailable(world, 2);

        Assert.True(await wait.WaitAsync(bound.Token));
        Assert.Equal(1, world.Server.Requests["watch poddisruptionbudgets"]);
        Assert.Equal(0, world.Server.Requests["list poddisruptionbudgets"]);
    }

    [Fact]
    public async Task Without_a_watch_the_wait_ends_at_the_fallback_tick()
    {
        await using var world = await World.StartAsync(DrainWorld.Seed(DrainWorld.WebMinAvailable(3)), output: output);
        world.Server.Faults.Set(new FaultSettings { Errors = [new ErrorFault { Status = 500, Verb = "watch", Resource = "poddisruptionbudgets" }] });
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var api = Api(world);
        await using var budgets = new BlockingBudgets(api, world.Options, time, NullLogger.Instance);
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var wait = budgets.WaitAsync(Web, "shop", "web", budgets.Mark(), Tick, bound.Token);
        await WatchedAsync(world);
        time.Advance(Tick - TimeSpan.FromMilliseconds(1));
        Assert.False(wait.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.False(await wait.WaitAsync(bound.Token));
    }

    [Fact]
    public async Task While_the_watched_status_says_the_budget_is_spent_a_tick_asks_nothing_until_the_last_one()
    {
        // minAvailable 3 of 3: the watch shows no disruption allowed, so asking at a tick would only collect a 429.
        await using var world = await World.StartAsync(DrainWorld.Seed(DrainWorld.WebMinAvailable(3)), output: output);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var api = Api(world);
        await using var budgets = new BlockingBudgets(api, world.Options, time, NullLogger.Instance);
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var wait = budgets.WaitAsync(Web, "shop", "web", budgets.Mark(), Tick, bound.Token);
        await Poll.UntilAsync(() => budgets.Holds("shop/web"), "the budget's status seen", TimeSpan.FromSeconds(30));
        for (var tick = 1; tick < BlockingBudgets.HeldTicks; tick++)
        {
            time.Advance(Tick);
            await Task.Delay(20, bound.Token);
            Assert.False(wait.IsCompleted, $"the wait ended at tick {tick} while the budget was spent");
        }

        // A watch silent that long is not trusted: the pod asks, and the server judges.
        time.Advance(Tick);
        Assert.False(await wait.WaitAsync(bound.Token));
    }

    private static KubeApi Api(World world) => KubeApi.FromKubeconfig(world.Server.KubeconfigPath, TimeSpan.FromSeconds(10), NoApiRequestObserver.Instance, null);

    // The watch of the namespace's budgets is open (its first request counted) before the budget changes.
    private static Task WatchedAsync(World world) =>
        Poll.UntilAsync(() => world.Server.Requests["watch poddisruptionbudgets"] >= 1, "the budgets' watch", TimeSpan.FromSeconds(30));

    private static void SetMinAvailable(World world, int value) =>
        world.Server.Store.Update(ResourceTypes.PodDisruptionBudgets, "shop", "web", b =>
        {
            b["spec"]!["minAvailable"] = JsonValue.Create(value);
            return b;
        });
}
