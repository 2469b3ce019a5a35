using System.Text.Json.Nodes;
using NodeDaemon.Kubernetes.Drain;

namespace NodeDaemon.Kubernetes.Tests.Drain;

/// <summary>The refusing budget and its status, read from the eviction registry's 429 in each of its wordings.</summary>
public sealed class BudgetTextTests
{
    private static JsonObject Refusal(string cause) => new JsonObject
    {
        ["kind"] = "Status",
        ["code"] = 429,
        ["message"] = "Cannot evict pod as it would violate the pod's disruption budget.",
        ["details"] = new JsonObject { ["causes"] = new JsonArray(new JsonObject { ["reason"] = "DisruptionBudget", ["message"] = cause }) },
    };

    [Theory]
    [InlineData("The disruption budget web needs 2 healthy pods and has 2 currently", "PDB web: 2 healthy needed, 2 present")]
    [InlineData("The disruption budget web does not allow evicting pods currently because it failed sync: no pods",
        "PDB web: does not allow evicting pods currently because it failed sync: no pods")]
    [InlineData("The disruption budget web does not allow evicting pods currently", "PDB web: does not allow evicting pods currently")]
    [InlineData("The disruption budget web is still being processed by the server.", "PDB web: is still being processed by the server")]
    public void The_cause_names_the_budget_and_says_why(string cause, string described)
    {
        var status = Refusal(cause);

        Assert.Equal("web", BudgetText.BudgetName(status));
        Assert.Equal(described, BudgetText.Describe("web", status));
    }

    [Fact]
    public void A_429_without_a_budget_cause_names_none()
    {
        var status = new JsonObject { ["kind"] = "Status", ["code"] = 429, ["message"] = "Too many requests, please try again later." };

        Assert.Null(BudgetText.BudgetName(status));
        Assert.Equal("PDB web", BudgetText.Describe("web", status));
    }
}
