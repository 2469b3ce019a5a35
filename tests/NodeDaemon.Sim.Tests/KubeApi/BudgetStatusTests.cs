using System.Text.Json.Nodes;
using NodeDaemon.Sim.KubeApi;
using NodeDaemon.Sim.KubeApi.Controllers;
using NodeDaemon.Sim.KubeApi.Store;

namespace NodeDaemon.Sim.Tests.KubeApi;

/// <summary>A budget's status as kubernetes pkg/controller/disruption computes it, and as a watch of the budgets sees it change.</summary>
public sealed class BudgetStatusTests : ClusterTest
{
    private const string Web = "/apis/policy/v1/namespaces/shop/poddisruptionbudgets/web";

    // Replacements never turn Ready within a test here, so budgets stay exhausted.
    protected override TestApiServerOptions Options => Cluster.Fast with { ReplacementReadyDelay = TimeSpan.FromHours(10) };

    [Fact]
    public async Task An_integer_minAvailable_expects_the_selected_pods_not_the_controllers_scale()
    {
        // getExpectedPodCount: for an integer minAvailable, expectedCount = len(pods).
        Server.Store.Update(ResourceTypes.ReplicaSets, "shop", "web-7d9f8c6b5", rs =>
        {
            rs["spec"]!["replicas"] = 5;
            return rs;
        });
        DisruptionController.Recompute(Server.Store, "shop");

        Assert.Equal((1, 3, 2, 3), Counts(await Cluster.GetAsync(Client, Web)));
    }

    [Fact]
    public async Task A_percentage_expects_the_controllers_scale()
    {
        Server.Store.Update(ResourceTypes.ReplicaSets, "shop", "web-7d9f8c6b5", rs =>
        {
            rs["spec"]!["replicas"] = 5;
            return rs;
        });
        Server.Store.Update(ResourceTypes.PodDisruptionBudgets, "shop", "web", b =>
        {
            b["spec"]!["minAvailable"] = "40%";
            return b;
        });

        // ceil(40 % of 5) = 2 desired of 5 expected; the 3 Ready pods allow 1.
        Assert.Equal((1, 3, 2, 5), Counts(await Cluster.GetAsync(Client, Web)));
    }

    [Fact]
    public async Task A_maxUnavailable_budget_over_pods_without_a_controller_expects_none_and_allows_nothing()
    {
        // getExpectedScale leaves unmanaged pods out, and updatePdbStatus allows nothing while expectedCount <= 0.
        foreach (var name in new[] { "web-7d9f8c6b5-abcde", "web-7d9f8c6b5-fghij", "web-7d9f8c6b5-klmno" })
        {
            Server.Store.Update(ResourceTypes.Pods, "shop", name, p =>
            {
                p["metadata"]!.AsObject().Remove("ownerReferences");
                return p;
            });
        }

        Server.Store.Update(ResourceTypes.PodDisruptionBudgets, "shop", "web", b =>
        {
            b["spec"]!.AsObject().Remove("minAvailable");
            b["spec"]!["maxUnavailable"] = 1;
            return b;
        });

        var budget = await Cluster.GetAsync(Client, Web);
        Assert.Equal((0, 3, 0, 0), Counts(budget));
        using var refused = await Evict("web-7d9f8c6b5-abcde");
        Assert.Equal(429, (int)refused.StatusCode);
    }

    [Fact]
    public async Task A_budget_whose_pods_controller_is_missing_fails_safe_allowing_nothing()
    {
        Server.Store.Remove(ResourceTypes.ReplicaSets, "shop", "web-7d9f8c6b5");
        Server.Store.Update(ResourceTypes.PodDisruptionBudgets, "shop", "web", b =>
        {
            b["spec"]!["minAvailable"] = "50%";
            return b;
        });

        var status = (await Cluster.GetAsync(Client, Web))["status"]!;
        Assert.Equal(0, (int)status["disruptionsAllowed"]!);
        var condition = Assert.Single(status["conditions"]!.AsArray())!;
        Assert.Equal(("False", "SyncFailed"), ((string)condition["status"]!, (string)condition["reason"]!));
    }

    [Fact]
    public async Task A_watch_of_the_namespace_budgets_sees_the_eviction_use_the_last_disruption()
    {
        await using var watch = await WatchStream.OpenAsync(Client, "/apis/policy/v1/namespaces/shop/poddisruptionbudgets?watch=true");
        var added = await watch.NextAsync();
        Assert.Equal(("ADDED", 1), ((string)added["type"]!, (int)added["object"]!["status"]!["disruptionsAllowed"]!));

        using (var accepted = await Evict("web-7d9f8c6b5-abcde"))
        {
            Assert.Equal(201, (int)accepted.StatusCode);
        }

        // The registry's own status update: one fewer allowed, the pod in disruptedPods, the condition turned False.
        var used = await watch.NextAsync();
        Assert.Equal("MODIFIED", (string)used["type"]!);
        var status = used["object"]!["status"]!;
        Assert.Equal(0, (int)status["disruptionsAllowed"]!);
        Assert.NotNull(status["disruptedPods"]!["web-7d9f8c6b5-abcde"]);
        var condition = Assert.Single(status["conditions"]!.AsArray())!;
        Assert.Equal(("False", "InsufficientPods"), ((string)condition["status"]!, (string)condition["reason"]!));
    }

    private Task<HttpResponseMessage> Evict(string name) =>
        Cluster.SendAsync(Client, HttpMethod.Post, $"/api/v1/namespaces/shop/pods/{name}/eviction",
            $$$"""{"apiVersion":"policy/v1","kind":"Eviction","metadata":{"name":"{{{name}}}","namespace":"shop"}}""");

    private static (int Allowed, int Current, int Desired, int Expected) Counts(JsonNode budget)
    {
        var status = budget["status"]!;
        return ((int)status["disruptionsAllowed"]!, (int)status["currentHealthy"]!, (int)status["desiredHealthy"]!, (int)status["expectedPods"]!);
    }
}
