using System.Text.Json.Nodes;
using NodeDaemon.Core.Cluster;
using NodeDaemon.Sim.KubeApi;
using NodeDaemon.Sim.KubeApi.Faults;

namespace NodeDaemon.Kubernetes.Tests.Drain;

/// <summary>A pod a budget refused asks again when the budget's status can allow it, not on a fixed tick; the tick stays
/// the fallback when the budgets cannot be watched; the server remains the judge (no budget is ever broken).</summary>
public sealed class DrainBudgetWaitTests(ITestOutputHelper output)
{
    // Replacements Ready 0.5 s after they are created, at the world's time scale.
    private static readonly TestApiServerOptions Server = new() { TimeScale = 0.01, ReplacementReadyDelay = TimeSpan.FromSeconds(50) };

    [Fact]
    public async Task A_refused_pod_goes_when_its_budget_allows_long_before_the_fallback_tick()
    {
        // A tick of 10 minutes: a drain that waited on it would time out after 60 s; one that follows the budgets ends
        // when the replacements are Ready, each pod waiting on its own budget (web in shop, api in svc).
        var seed = DrainWorld.Seed(SecondApp);
        var options = World.FastOptions() with { EvictionRetryMinimum = TimeSpan.FromMinutes(10) };
        await using var world = await World.StartAsync(seed, options, Server, output);
        await using var budgets = new BudgetWatch(world);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await world.Client.CordonAsync(cts.Token);

        var result = await world.Client.DrainAsync(DrainWorld.Request(TimeSpan.FromSeconds(60)), null, cts.Token);

        Assert.Equal(DrainOutcome.Drained, result.Outcome);
        Assert.Equal((6, 6), (result.Evicted, result.Total));
        Assert.Empty(budgets.Violations);
        // One watch per namespace with two or more pods to evict, opened before the first eviction as a streaming list.
        Assert.Equal(2, world.Server.Requests["watch poddisruptionbudgets"]);
        Assert.Equal(0, world.Server.Requests["list poddisruptionbudgets"]);
        // No refusal: each pod's first request waits until its budget's watched status can let it go (8-16 when every
        // pod asked at once and each budget refused).
        Assert.Equal(6, world.Server.Requests["create pods/eviction"]);
    }

    [Fact]
    public async Task When_the_budgets_cannot_be_watched_the_fallback_tick_still_drains_the_node()
    {
        await using var world = await World.StartAsync(DrainWorld.Seed(), serverOptions: Server, output: output);
        world.Server.Faults.Set(new FaultSettings { Errors = [new ErrorFault { Status = 500, Verb = "watch", Resource = "poddisruptionbudgets" }] });
        await using var budgets = new BudgetWatch(world);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await world.Client.CordonAsync(cts.Token);

        var result = await world.Client.DrainAsync(DrainWorld.Request(TimeSpan.FromSeconds(60)), null, cts.Token);

        Assert.Equal(DrainOutcome.Drained, result.Outcome);
        Assert.Empty(budgets.Violations);
        Assert.True(world.Server.Requests["watch poddisruptionbudgets"] >= 1, "the watch was tried");
    }

    // A second app in another namespace, 3 replicas under maxUnavailable 1, on node-a with the web pods.
    private static void SecondApp(JsonArray items)
    {
        const string rs = "api-6c8d7";
        items.Add(new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "ReplicaSet",
            ["metadata"] = new JsonObject { ["name"] = rs, ["namespace"] = "svc", ["uid"] = "00000000-0000-4000-8000-0000000000a1" },
            ["spec"] = new JsonObject { ["replicas"] = 3, ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = "api" } } },
        });
        for (var i = 0; i < 3; i++)
        {
            items.Add(new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Pod",
                ["metadata"] = new JsonObject
                {
                    ["name"] = $"{rs}-p{i}",
                    ["namespace"] = "svc",
                    ["generateName"] = rs + "-",
                    ["labels"] = new JsonObject { ["app"] = "api" },
                    ["ownerReferences"] = new JsonArray(new JsonObject
                    {
                        ["apiVersion"] = "apps/v1", ["kind"] = "ReplicaSet", ["name"] = rs, ["uid"] = "00000000-0000-4000-8000-0000000000a1", ["controller"] = true,
                    }),
                },
                ["spec"] = new JsonObject
                {
                    ["nodeName"] = "node-a",
                    ["terminationGracePeriodSeconds"] = 0,
                    ["containers"] = new JsonArray(new JsonObject { ["name"] = "main", ["image"] = "registry.example/api:1" }),
                },
            });
        }

        items.Add(new JsonObject
        {
            ["apiVersion"] = "policy/v1",
            ["kind"] = "PodDisruptionBudget",
            ["metadata"] = new JsonObject { ["name"] = "api", ["namespace"] = "svc" },
            ["spec"] = new JsonObject { ["maxUnavailable"] = 1, ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = "api" } } },
        });
    }
}
