using System.Text.Json.Nodes;
using NodeDaemon.Core.Cluster;
using NodeDaemon.Sim.KubeApi.Faults;
using NodeDaemon.Sim.KubeApi.Store;
using NodeDaemon.Testing;

namespace NodeDaemon.Kubernetes.Tests.Drain;

public sealed class DrainTests(ITestOutputHelper output)
{
    private static readonly string[] Left = ["kube-system/etcd-node-a", "kube-system/node-agent-x7k2p"];

    [Fact]
    public async Task Drain_waits_for_a_replacement_to_be_ready_before_the_budget_lets_the_second_pod_go()
    {
        await using var world = await World.StartAsync(output: output);
        await using var budgets = new BudgetWatch(world);
        var progress = new RecordingProgress();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        Assert.True((await world.Client.CordonAsync(cts.Token)).Changed);

        var result = await world.Client.DrainAsync(DrainWorld.Request(), progress, cts.Token);

        Assert.Equal(DrainOutcome.Drained, result.Outcome);
        Assert.Equal((3, 3), (result.Evicted, result.Total));
        Assert.Equal(Left, DrainWorld.PodsOn(world));
        Assert.Empty(budgets.Violations);
        Assert.Equal(0, world.Server.Requests["delete pods"]);
        Assert.True(world.Server.Requests["create pods/eviction"] >= 4, "one web pod must have been refused at least once");
        Assert.Contains(progress.Items, p => p.Line.Contains("(PDB web: 2 healthy needed, 2 present)", StringComparison.Ordinal)
            && p.Line.StartsWith("draining: ", StringComparison.Ordinal) && p.WaitingOn!.StartsWith("shop/web-", StringComparison.Ordinal));
        Assert.Equal("draining: 3/3 pods evicted", progress.Items[^1].Line);
        // The refusal itself says what the budget needs and has: the budget is never read.
        Assert.Equal(0, world.Server.Requests["get poddisruptionbudgets"]);
    }

    [Fact]
    public async Task Evicted_pods_are_seen_gone_through_one_watch_of_the_node_not_polls_or_reads_per_pod()
    {
        await using var world = await World.StartAsync(output: output);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await world.Client.CordonAsync(cts.Token);

        var result = await world.Client.DrainAsync(DrainWorld.Request(), null, cts.Token);

        Assert.Equal(DrainOutcome.Drained, result.Outcome);
        Assert.Equal(Left, DrainWorld.PodsOn(world));
        // cache-0 is a StatefulSet's: its replacement has the same name, elsewhere, under a new uid; ours is gone.
        var cache = world.Server.Store.Get(ResourceTypes.Pods, "shop", "cache-0");
        Assert.NotEqual("node-a", (string?)cache?["spec"]?["nodeName"]);
        Assert.Equal(0, world.Server.Requests["get pods"]);
        // The plan's list, and the watch from it, whatever the number of pods waited on and however long they take.
        Assert.Equal(1, world.Server.Requests["list pods"]);
        Assert.Equal(1, world.Server.Requests["watch pods"]);
    }

    [Fact]
    public async Task A_pod_using_its_whole_grace_period_costs_no_request_while_it_terminates()
    {
        // 200 s nominal, 2 s at the world's time scale: a hundred polls at the 20 ms interval, had it been polled.
        var seed = DrainWorld.Seed(items =>
        {
            DrainWorld.AddPod("batch", "slow", ownerKind: "Job")(items);
            items.Last()!["spec"]!["terminationGracePeriodSeconds"] = 200;
        });
        await using var world = await World.StartAsync(seed, output: output);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await world.Client.CordonAsync(cts.Token);
        var started = DateTime.UtcNow;

        var result = await world.Client.DrainAsync(DrainWorld.Request(), null, cts.Token);

        Assert.Equal(DrainOutcome.Drained, result.Outcome);
        var elapsed = DateTime.UtcNow - started;
        Assert.True(elapsed > TimeSpan.FromSeconds(1.5), $"the slow pod went after {elapsed}, before its grace period");
        Assert.Equal(1, world.Server.Requests["list pods"]);
        Assert.Equal(1, world.Server.Requests["watch pods"]);
    }

    [Fact]
    public async Task A_watch_that_keeps_breaking_falls_back_to_lists_and_misses_no_pod()
    {
        await using var world = await World.StartAsync(output: output);
        world.Server.Faults.Set(new Sim.KubeApi.Faults.FaultSettings { WatchCutAfterEvents = 1, WatchCutAbort = true });
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await world.Client.CordonAsync(cts.Token);

        var result = await world.Client.DrainAsync(DrainWorld.Request(), null, cts.Token);

        Assert.Equal(DrainOutcome.Drained, result.Outcome);
        Assert.Equal(Left, DrainWorld.PodsOn(world));
        Assert.True(world.Server.Requests["list pods"] >= 2, "a broken watch is followed by a list");
    }

    [Fact]
    public async Task Without_a_watch_the_drain_still_sees_its_pods_go_by_listing_them()
    {
        await using var world = await World.StartAsync(output: output);
        world.Server.Faults.Set(new Sim.KubeApi.Faults.FaultSettings
        {
            Errors = [new Sim.KubeApi.Faults.ErrorFault { Status = 500, Verb = "watch", Resource = "pods" }],
        });
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await world.Client.CordonAsync(cts.Token);

        var result = await world.Client.DrainAsync(DrainWorld.Request(), null, cts.Token);

        Assert.Equal(DrainOutcome.Drained, result.Outcome);
        Assert.Equal(Left, DrainWorld.PodsOn(world));
        Assert.True(world.Server.Requests["list pods"] >= 2, "the pods are listed when the watch is refused");
    }

    [Fact]
    public async Task A_budget_that_never_allows_times_out_naming_the_pods_and_the_budget()
    {
        await using var world = await World.StartAsync(DrainWorld.Seed(DrainWorld.WebMinAvailable(3)), output: output);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var result = await world.Client.DrainAsync(DrainWorld.Request(TimeSpan.FromSeconds(2)), null, cts.Token);

        Assert.Equal(DrainOutcome.TimedOut, result.Outcome);
        Assert.Equal(["shop/web-7d9f8c6b5-abcde", "shop/web-7d9f8c6b5-fghij"], result.BlockingPods.Order(StringComparer.Ordinal));
        Assert.Equal(["shop/web"], result.BlockingBudgets);
        Assert.Contains("shop/web-7d9f8c6b5-abcde", result.Message, StringComparison.Ordinal);
        Assert.Contains("PDB shop/web", result.Message, StringComparison.Ordinal);
        Assert.Equal(1, result.Evicted);
        Assert.Contains("shop/web-7d9f8c6b5-abcde", DrainWorld.PodsOn(world));
    }

    [Fact]
    public async Task A_pod_under_two_budgets_stops_the_drain_at_once_with_the_servers_message()
    {
        var seed = DrainWorld.Seed(items => items.Add(new JsonObject
        {
            ["apiVersion"] = "policy/v1",
            ["kind"] = "PodDisruptionBudget",
            ["metadata"] = new JsonObject { ["name"] = "web-extra", ["namespace"] = "shop" },
            ["spec"] = new JsonObject { ["maxUnavailable"] = 1, ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = "web" } } },
        }));
        await using var world = await World.StartAsync(seed, output: output);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        // The server answers 201 with a Failure Status (code 500): read as a 2xx, the drain would wait for a pod that never goes.
        var result = await world.Client.DrainAsync(DrainWorld.Request(TimeSpan.FromSeconds(30), concurrency: 1), null, cts.Token);

        Assert.Equal(DrainOutcome.Stopped, result.Outcome);
        Assert.Matches(
            @"^shop/web-7d9f8c6b5-\w+ is selected by 2 PodDisruptionBudgets \(shop/web, shop/web-extra\), and the eviction API evicts no such pod: " +
            @"This pod has more than one PodDisruptionBudget, which the eviction subresource does not support\.$",
            result.Message);
        Assert.Equal(["shop/web", "shop/web-extra"], result.BlockingBudgets);
        // Retrying does not help, so it was asked once per web pod at most, and the budgets were listed to name them.
        Assert.True(world.Server.Requests["create pods/eviction"] <= 3, $"evictions: {world.Server.Requests["create pods/eviction"]}");
        Assert.True(world.Server.Requests["list poddisruptionbudgets"] >= 1);
        Assert.Contains("shop/web-7d9f8c6b5-abcde", DrainWorld.PodsOn(world));
    }

    [Fact]
    public async Task An_emptyDir_pod_is_refused_before_any_eviction_unless_allowed()
    {
        await using var world = await World.StartAsync(output: output);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var result = await world.Client.DrainAsync(DrainWorld.Request(emptyDir: false), null, cts.Token);

        Assert.Equal(DrainOutcome.Refused, result.Outcome);
        Assert.Equal(["shop/cache-0"], result.BlockingPods);
        Assert.Contains("shop/cache-0 uses emptyDir", result.Message, StringComparison.Ordinal);
        Assert.Equal(0, world.Server.Requests["create pods/eviction"]);
    }

    [Fact]
    public async Task An_unreplicated_pod_is_refused_unless_allowed_and_then_evicted()
    {
        var seed = DrainWorld.Seed(DrainWorld.AddPod("default", "bare"));
        await using var world = await World.StartAsync(seed, output: output);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var refused = await world.Client.DrainAsync(DrainWorld.Request(), null, cts.Token);
        Assert.Equal(DrainOutcome.Refused, refused.Outcome);
        Assert.Equal(["default/bare"], refused.BlockingPods);
        Assert.Contains("default/bare has no controller", refused.Message, StringComparison.Ordinal);
        Assert.Equal(0, world.Server.Requests["create pods/eviction"]);

        var drained = await world.Client.DrainAsync(DrainWorld.Request(unreplicated: true), null, cts.Token);
        Assert.Equal(DrainOutcome.Drained, drained.Outcome);
        Assert.Equal(Left, DrainWorld.PodsOn(world));
    }

    [Fact]
    public async Task A_running_blocking_pod_holds_the_drain_until_it_finishes()
    {
        var seed = DrainWorld.Seed(DrainWorld.AddPod("batch", "backup-1", new JsonObject { ["job"] = "backup" }, "Job"));
        await using var world = await World.StartAsync(seed, output: output);
        var progress = new RecordingProgress();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var drain = world.Client.DrainAsync(DrainWorld.Request(blocking: "job=backup"), progress, cts.Token);
        await WaitUntilAsync(() => progress.Items.Count(p => p.Line.Contains("not started", StringComparison.Ordinal)) >= 3, "the drain to wait on the blocking pod");
        Assert.Equal(0, world.Server.Requests["create pods/eviction"]);
        Assert.Contains("waiting on batch/backup-1 (matches the blocking selector job=backup)", progress.Items[^1].Line, StringComparison.Ordinal);

        world.Server.Terminator.Delete("batch", "backup-1", 0);
        var result = await drain.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(DrainOutcome.Drained, result.Outcome);
        Assert.Equal(Left, DrainWorld.PodsOn(world));
    }

    [Fact]
    public async Task A_long_blocking_pod_is_listed_at_doubling_intervals()
    {
        var seed = DrainWorld.Seed(DrainWorld.AddPod("batch", "backup-1", new JsonObject { ["job"] = "backup" }, "Job"));
        // Fake time: the drain's waits are timers this test sees created and then fires, so the schedule is read off
        // the waits themselves and not bounded by how fast the machine happens to be.
        var time = new TimerRecordingTimeProvider();
        var interval = TimeSpan.FromSeconds(10);
        await using var world = await World.StartAsync(seed, World.FastOptions() with { PodPollInterval = interval }, output: output, time: time);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var drain = world.Client.DrainAsync(DrainWorld.Request(TimeSpan.FromHours(1), blocking: "job=backup"), null, cts.Token);
        // Every list of the blocking pod is followed by the wait before the next one (the hour's deadline is not one of them).
        List<TimeSpan> waits = [];
        for (var i = 0; i < 6; i++)
        {
            waits.Add(await time.NextTimerAsync(due => due <= interval * 8));
            if (i < 5)
            {
                time.Advance(waits[^1]);
            }
        }

        // After 1, 2, 4, then every 8 intervals; one plan and one list per wait so far.
        Assert.Equal([interval, interval * 2, interval * 4, interval * 8, interval * 8, interval * 8], waits);
        Assert.Equal(1 + 6, world.Server.Requests["list pods"]);

        world.Server.Terminator.Delete("batch", "backup-1", 0);
        time.Advance(waits[^1]);
        // The evictions after it retry on the same fake clock: keep it moving until the drain ends.
        await Poll.UntilAsync(() =>
        {
            time.Advance(TimeSpan.FromMilliseconds(100));
            return drain.IsCompleted;
        }, "the drain to end once the blocking pod is gone");

        Assert.Equal(DrainOutcome.Drained, (await drain).Outcome);
    }

    [Fact]
    public async Task A_blocking_pod_that_never_finishes_times_out_naming_it()
    {
        var seed = DrainWorld.Seed(DrainWorld.AddPod("batch", "backup-1", new JsonObject { ["job"] = "backup" }, "Job"));
        await using var world = await World.StartAsync(seed, output: output);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var result = await world.Client.DrainAsync(DrainWorld.Request(TimeSpan.FromSeconds(1), blocking: "job=backup"), null, cts.Token);

        Assert.Equal(DrainOutcome.TimedOut, result.Outcome);
        Assert.Equal(["batch/backup-1"], result.BlockingPods);
        Assert.Equal(0, world.Server.Requests["create pods/eviction"]);
    }

    [Fact]
    public async Task Drain_rides_out_server_errors_and_throttling_without_breaking_a_budget()
    {
        await using var world = await World.StartAsync(output: output);
        world.Server.Faults.Set(new FaultSettings
        {
            Seed = 7,
            Errors =
            [
                new ErrorFault { Status = 500, Rate = 0.3, Resource = "pods/eviction" },
                new ErrorFault { Status = 429, Rate = 0.3, Resource = "pods/eviction", RetryAfterSeconds = 0 },
                new ErrorFault { Status = 500, Rate = 0.3, Resource = "pods", Verb = "get" },
                new ErrorFault { Status = 500, Rate = 0.3, Resource = "pods", Verb = "list" },
            ],
        });
        await using var budgets = new BudgetWatch(world);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await world.Client.CordonAsync(cts.Token);

        var result = await world.Client.DrainAsync(DrainWorld.Request(), null, cts.Token);

        Assert.Equal(DrainOutcome.Drained, result.Outcome);
        Assert.Equal(Left, DrainWorld.PodsOn(world));
        Assert.Empty(budgets.Violations);
        Assert.Equal(0, world.Server.Requests["delete pods"]);
    }

    [Fact]
    public async Task An_admins_cordon_survives_our_drain_and_uncordon()
    {
        await using var world = await World.StartAsync(output: output);
        world.SetUnschedulable(true);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        Assert.False((await world.Client.CordonAsync(cts.Token)).Changed);
        var result = await world.Client.DrainAsync(DrainWorld.Request(), null, cts.Token);
        Assert.False((await world.Client.UncordonAsync(cts.Token)).Changed);

        Assert.Equal(DrainOutcome.Drained, result.Outcome);
        Assert.True(world.Unschedulable());
        Assert.Null(world.Annotation("nodedaemon.io/cordoned-by"));
    }

    [Fact]
    public async Task A_pod_already_terminating_is_waited_for_and_not_evicted()
    {
        await using var world = await World.StartAsync(output: output);
        world.Server.Terminator.Delete("shop", "cache-0", 20);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var result = await world.Client.DrainAsync(DrainWorld.Request(emptyDir: false), null, cts.Token);

        Assert.Equal(DrainOutcome.Drained, result.Outcome);
        Assert.Null(world.Server.Store.Get(ResourceTypes.Pods, "shop", "cache-0") is { } pod && pod["spec"]?["nodeName"]?.GetValue<string>() == "node-a" ? pod : null);
    }

    private static Task WaitUntilAsync(Func<bool> condition, string what) => Poll.UntilAsync(condition, what);
}
