using System.Text.Json.Nodes;
using NodeDaemon.Kubernetes.Drain;

namespace NodeDaemon.Kubernetes.Tests.Drain;

/// <summary>Which namespaces' budgets a drain watches before its first eviction, and which budget a pod's first request waits on.</summary>
public sealed class FirstEvictionRuleTests
{
    [Theory]
    // the pods to evict (namespace, or namespace! for one already terminating); the namespaces watched first
    [InlineData("shop,shop,svc", "shop")]
    [InlineData("shop,svc,db", "")]
    [InlineData("svc,shop,svc,shop,shop", "shop,svc")]
    [InlineData("shop,shop!", "")]
    [InlineData("", "")]
    public void Namespaces_with_two_or_more_pods_to_evict_are_watched_before_the_first_eviction(string pods, string watched)
    {
        var toMove = pods.Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select((p, i) => new DrainPod(p.TrimEnd('!'), $"pod-{i}", $"uid-{i}", false, false, false, true, false, p.EndsWith('!')));

        Assert.Equal(watched.Split(',', StringSplitOptions.RemoveEmptyEntries), FirstEvictionRule.WatchedFirst(toMove));
    }

    [Theory]
    // the namespace's budgets (name=app label they select, ; between); the pod's app label; the budget waited on ("" none)
    [InlineData("web=web", "web", "web")]
    [InlineData("web=web;cache=cache", "cache", "cache")]
    [InlineData("cache=cache", "web", "")]
    [InlineData("", "web", "")]
    // Under two budgets the server refuses whatever they say (500, its message names the problem): no wait.
    [InlineData("web=web;all=web", "web", "")]
    public void A_pods_first_request_waits_on_the_one_watched_budget_that_selects_it(string budgets, string app, string waitsOn)
    {
        var known = budgets.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(b => b.Split('='))
            .ToDictionary(b => b[0], b => (JsonNode?)new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = b[1] } }, StringComparer.Ordinal);
        var pod = new DrainPod("shop", "p", "u", false, false, false, true, false, false) { Labels = new Dictionary<string, string> { ["app"] = app } };

        Assert.Equal(waitsOn.Length == 0 ? null : waitsOn, FirstEvictionRule.WaitsOn(pod, known));
    }
}
