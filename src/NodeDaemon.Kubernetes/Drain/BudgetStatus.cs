using System.Text.Json.Nodes;
using NodeDaemon.Kubernetes.Annotations;

namespace NodeDaemon.Kubernetes.Drain;

/// <summary>The part of a PodDisruptionBudget's status that the eviction registry judges an eviction by.</summary>
/// <param name="Allowed"><c>status.disruptionsAllowed</c>.</param>
/// <param name="Current"><c>status.currentHealthy</c>.</param>
/// <param name="Desired"><c>status.desiredHealthy</c>.</param>
/// <param name="Observed">Whether <c>status.observedGeneration</c> has caught up with <c>metadata.generation</c>.</param>
/// <remarks>
/// After kubernetes pkg/registry/core/pod/storage/eviction.go: <c>checkAndDecrement</c> refuses with 429 while
/// <c>observedGeneration &lt; generation</c> ("still being processed") or <c>disruptionsAllowed == 0</c>, and a pod that is
/// not Ready goes without using a disruption when <c>currentHealthy &gt;= desiredHealthy &gt; 0</c>. Only the server
/// decides: this status only says when asking again is worth a request.
/// </remarks>
internal sealed record BudgetStatus(int Allowed, int Current, int Desired, bool Observed)
{
    /// <summary>A Ready pod's eviction would be accepted now, as far as this status goes.</summary>
    public bool AllowsReady => Observed && Allowed > 0;

    /// <summary>A pod that is not Ready would be let go now (without using a disruption, or using one).</summary>
    public bool AllowsUnready => Observed && (Allowed > 0 || (Desired > 0 && Current >= Desired));

    /// <summary>Reads a PodDisruptionBudget object.</summary>
    public static BudgetStatus Read(JsonNode budget)
    {
        var status = budget["status"];
        var generation = NodeReader.WholeNumber(budget["metadata"]?["generation"]) ?? 0;
        var observed = NodeReader.WholeNumber(status?["observedGeneration"]) ?? 0;
        return new BudgetStatus(
            NodeReader.WholeNumber(status?["disruptionsAllowed"]) ?? 0,
            NodeReader.WholeNumber(status?["currentHealthy"]) ?? 0,
            NodeReader.WholeNumber(status?["desiredHealthy"]) ?? 0,
            observed >= generation);
    }
}
