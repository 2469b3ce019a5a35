using System.Text.Json.Nodes;
using NodeDaemon.Kubernetes.Annotations;
using NodeDaemon.Kubernetes.Api;

namespace NodeDaemon.Kubernetes.Drain;

/// <summary>The answer to a pod under more than one disruption budget, naming those budgets.</summary>
internal sealed partial class PodEvictor
{
    /// <summary>The eviction registry's words for a pod selected by more than one budget (eviction.go).</summary>
    private const string MoreThanOneBudget = "more than one PodDisruptionBudget";

    /// <summary>
    /// A <see cref="EvictionKind.Fatal"/> answer for <paramref name="pod"/>, naming the budgets that select it: the server's
    /// Status names none, and an admin must know which to merge or delete. The budgets are listed only here, once per drain
    /// at most (the drain stops); when the list fails the line carries the server's words alone.
    /// </summary>
    private async Task<EvictionAnswer> MoreThanOneBudgetAsync(DrainPod pod, KubeResponse refusal, CancellationToken cancellationToken)
    {
        var list = await api.TrySendAsync(HttpMethod.Get, KubePaths.Budgets(pod.Namespace), null, cancellationToken).ConfigureAwait(false);
        List<string> names = list is { IsSuccess: true, Body: { } body }
            ? [.. (body["items"] as JsonArray ?? []).OfType<JsonNode>()
                .Where(b => BudgetSelector.Selects(b["spec"]?["selector"], pod.Labels))
                .Select(b => $"{pod.Namespace}/{NodeReader.Text(b["metadata"]?["name"])}")
                .Order(StringComparer.Ordinal)]
            : [];
        var message = names.Count > 1
            ? $"{pod.Key} is selected by {names.Count} PodDisruptionBudgets ({string.Join(", ", names)}), and the eviction API evicts no such pod: {refusal.Message}"
            : $"{pod.Key}: {refusal.Message}";
        return new EvictionAnswer(EvictionKind.Fatal, message, Budgets: names);
    }
}
