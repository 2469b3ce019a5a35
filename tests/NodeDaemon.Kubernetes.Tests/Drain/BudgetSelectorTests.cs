using System.Text.Json.Nodes;
using NodeDaemon.Kubernetes.Drain;

namespace NodeDaemon.Kubernetes.Tests.Drain;

/// <summary>A budget's selector against a pod's labels, as the eviction registry matches them (empty or invalid: nothing).</summary>
public sealed class BudgetSelectorTests
{
    private static readonly Dictionary<string, string> Web = new(StringComparer.Ordinal) { ["app"] = "web", ["tier"] = "front" };

    [Theory]
    [InlineData("""{"matchLabels":{"app":"web"}}""", true)]
    [InlineData("""{"matchLabels":{"app":"web","tier":"front"}}""", true)]
    [InlineData("""{"matchLabels":{"app":"db"}}""", false)]
    [InlineData("""{"matchLabels":{"app":"web","zone":"a"}}""", false)]
    [InlineData("""{"matchExpressions":[{"key":"app","operator":"In","values":["web","api"]}]}""", true)]
    [InlineData("""{"matchExpressions":[{"key":"app","operator":"In","values":["db"]}]}""", false)]
    [InlineData("""{"matchExpressions":[{"key":"app","operator":"NotIn","values":["db"]}]}""", true)]
    [InlineData("""{"matchExpressions":[{"key":"zone","operator":"NotIn","values":["a"]}]}""", true)]
    [InlineData("""{"matchExpressions":[{"key":"app","operator":"NotIn","values":["web"]}]}""", false)]
    [InlineData("""{"matchExpressions":[{"key":"tier","operator":"Exists"}]}""", true)]
    [InlineData("""{"matchExpressions":[{"key":"zone","operator":"Exists"}]}""", false)]
    [InlineData("""{"matchExpressions":[{"key":"zone","operator":"DoesNotExist"}]}""", true)]
    [InlineData("""{"matchExpressions":[{"key":"app","operator":"DoesNotExist"}]}""", false)]
    [InlineData("""{"matchLabels":{"app":"web"},"matchExpressions":[{"key":"tier","operator":"In","values":["back"]}]}""", false)]
    // An empty selector selects nothing on the eviction path (not everything), and so does a missing one.
    [InlineData("""{}""", false)]
    [InlineData("""null""", false)]
    // Invalid requirements make the whole selector select nothing.
    [InlineData("""{"matchExpressions":[{"key":"app","operator":"In","values":[]}]}""", false)]
    [InlineData("""{"matchExpressions":[{"key":"app","operator":"Exists","values":["web"]}]}""", false)]
    [InlineData("""{"matchExpressions":[{"key":"app","operator":"Gt","values":["1"]}]}""", false)]
    public void Selects_as_the_eviction_registry_does(string selector, bool selects)
    {
        Assert.Equal(selects, BudgetSelector.Selects(JsonNode.Parse(selector), Web));
    }
}
