using System.Text.Json.Nodes;
using NodeDaemon.Sim.KubeApi;
using NodeDaemon.Sim.KubeApi.Store;

namespace NodeDaemon.Sim.Tests.KubeApi;

/// <summary>The eviction subresource: 201, 429 with the budget's counts, 201 with a Failure Status for two budgets, 404, and budget status.</summary>
public sealed class EvictionTests : ClusterTest
{
    // Replacements never turn Ready within a test here, so budgets stay exhausted.
    protected override TestApiServerOptions Options => Cluster.Fast with { ReplacementReadyDelay = TimeSpan.FromHours(10) };

    [Fact]
    public async Task An_allowed_eviction_is_201_Success_and_the_next_one_is_429_with_the_budget_counts()
    {
        var budget = await Cluster.GetAsync(Client, "/apis/policy/v1/namespaces/shop/poddisruptionbudgets/web");
        Assert.Equal((1, 3, 2, 3), Counts(budget));

        using (var ok = await Evict("shop", "web-7d9f8c6b5-abcde"))
        {
            Assert.Equal(201, (int)ok.StatusCode);
            Assert.Equal("""{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Success","code":201}""", await ok.Content.ReadAsStringAsync());
        }

        var pod = Server.Store.Get(ResourceTypes.Pods, "shop", "web-7d9f8c6b5-abcde")!;
        Assert.NotNull(pod["metadata"]!["deletionTimestamp"]);
        Assert.Equal(30, (int)pod["metadata"]!["deletionGracePeriodSeconds"]!);
        budget = await Cluster.GetAsync(Client, "/apis/policy/v1/namespaces/shop/poddisruptionbudgets/web");
        // An integer minAvailable expects the selected pods as they are: the terminating one and its pending replacement.
        Assert.Equal((0, 2, 2, 4), Counts(budget));

        using var blocked = await Evict("shop", "web-7d9f8c6b5-fghij");
        Assert.Equal(429, (int)blocked.StatusCode);
        Assert.False(blocked.Headers.Contains("Retry-After"));
        Assert.Equal(
            """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Cannot evict pod as it would violate the pod's disruption budget.","reason":"TooManyRequests","details":{"causes":[{"reason":"DisruptionBudget","message":"The disruption budget web needs 2 healthy pods and has 2 currently"}]},"code":429}""",
            await blocked.Content.ReadAsStringAsync());
        Assert.Null(Server.Store.Get(ResourceTypes.Pods, "shop", "web-7d9f8c6b5-fghij")!["metadata"]!["deletionTimestamp"]);
    }

    [Fact]
    public async Task A_pod_under_two_budgets_is_201_with_a_Failure_Status_of_code_500_and_stays()
    {
        Server.Store.Create(ResourceTypes.PodDisruptionBudgets, JsonNode.Parse(
            """{"metadata":{"name":"web-too","namespace":"shop"},"spec":{"maxUnavailable":"50%","selector":{"matchExpressions":[{"key":"app","operator":"In","values":["web"]}]}}}""")!.AsObject());

        using var response = await Evict("shop", "web-7d9f8c6b5-abcde");
        // eviction.go returns the Status as its result, not as an error; create.go writes a result with 201.
        Assert.Equal(201, (int)response.StatusCode);
        Assert.Equal(
            """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.","code":500}""",
            await response.Content.ReadAsStringAsync());
        Assert.Null(Server.Store.Get(ResourceTypes.Pods, "shop", "web-7d9f8c6b5-abcde")!["metadata"]!["deletionTimestamp"]);

        // maxUnavailable 50% of 3 rounds up to 2 unavailable: 1 desired healthy.
        Assert.Equal((2, 3, 1, 3), Counts(await Cluster.GetAsync(Client, "/apis/policy/v1/namespaces/shop/poddisruptionbudgets/web-too")));
    }

    [Fact]
    public async Task A_gone_pod_is_404()
    {
        using var response = await Evict("shop", "web-7d9f8c6b5-zzzzz");
        Assert.Equal(404, (int)response.StatusCode);
        Assert.Equal(
            """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"pods \"web-7d9f8c6b5-zzzzz\" not found","reason":"NotFound","details":{"name":"web-7d9f8c6b5-zzzzz","kind":"pods"},"code":404}""",
            await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("Pending")]
    [InlineData("Succeeded")]
    [InlineData("Failed")]
    public async Task Pods_that_are_not_running_are_evicted_without_consulting_budgets(string phase)
    {
        Server.Store.Update(ResourceTypes.PodDisruptionBudgets, "shop", "web", b =>
        {
            b["spec"]!["minAvailable"] = "100%";
            return b;
        });
        Server.Store.Update(ResourceTypes.Pods, "shop", "web-7d9f8c6b5-abcde", p =>
        {
            p["status"]!["phase"] = phase;
            return p;
        });
        Assert.Equal(0, Counts(await Cluster.GetAsync(Client, "/apis/policy/v1/namespaces/shop/poddisruptionbudgets/web")).Allowed);

        using var response = await Evict("shop", "web-7d9f8c6b5-abcde");
        Assert.Equal(201, (int)response.StatusCode);
        var pod = Server.Store.Get(ResourceTypes.Pods, "shop", "web-7d9f8c6b5-abcde");
        Assert.True(pod is null || pod["metadata"]!["deletionTimestamp"] is not null);
    }

    [Fact]
    public async Task Budgets_are_listed_in_all_namespaces_and_percentages_round_up()
    {
        Server.Store.Update(ResourceTypes.PodDisruptionBudgets, "shop", "web", b =>
        {
            b["spec"]!["minAvailable"] = "34%";
            return b;
        });
        var list = await Cluster.GetAsync(Client, "/apis/policy/v1/poddisruptionbudgets");
        var budget = Assert.Single(list["items"]!.AsArray())!.AsObject();
        Assert.Equal((1, 3, 2, 3), Counts(budget)); // ceil(0.34 * 3) = 2
        Assert.Equal(2, (int)budget["metadata"]!["generation"]!);
        Assert.Equal(2, (int)budget["status"]!["observedGeneration"]!);
    }

    private Task<HttpResponseMessage> Evict(string ns, string name) =>
        Cluster.SendAsync(Client, HttpMethod.Post, $"/api/v1/namespaces/{ns}/pods/{name}/eviction",
            $$$"""{"apiVersion":"policy/v1","kind":"Eviction","metadata":{"name":"{{{name}}}","namespace":"{{{ns}}}"}}""");

    private static (int Allowed, int Current, int Desired, int Expected) Counts(JsonNode budget)
    {
        var status = budget["status"]!;
        return ((int)status["disruptionsAllowed"]!, (int)status["currentHealthy"]!, (int)status["desiredHealthy"]!, (int)status["expectedPods"]!);
    }
}
