using System.Text.Json.Nodes;

namespace NodeDaemon.Kubernetes.Drain;

/// <summary>
/// Whether a pod's first eviction request waits for its budget: the pure rule of which namespaces' budgets a drain watches
/// before it evicts, and which watched budget a pod's first request waits on.
/// </summary>
/// <remarks>
/// <para>Two pods of one budget sent together cost a 429 whenever the budget allows one disruption (the eviction registry
/// decrements <c>disruptionsAllowed</c> with the first, kubernetes pkg/registry/core/pod/storage/eviction.go
/// <c>checkAndDecrement</c>): in a fleet of 2-pod applications under <c>maxUnavailable: 1</c>, one refusal per drain. So a
/// namespace with two or more pods to evict has its budgets watched before the first request (a streaming list: one
/// request, the watch the first refusal would have opened), and each pod's first request goes through the budget's
/// turns (<see cref="BudgetTurns{T}"/>). A namespace with one pod keeps the watch for its first refusal: a watch before it
/// would cost a request where the refusal may never come.</para>
/// <para>The watch only holds a request back, never sends one the server would not judge: a stale status delays, the 429
/// stays the authority, and a pod that no watched budget selects (or more than one: the server's 500 says so) goes at once.</para>
/// </remarks>
internal static class FirstEvictionRule
{
    /// <summary>The namespaces whose budgets are watched before the first eviction: those with two or more pods to evict.</summary>
    public static IReadOnlyList<string> WatchedFirst(IEnumerable<DrainPod> toMove) =>
        [.. toMove.Where(p => !p.Terminating).GroupBy(p => p.Namespace, StringComparer.Ordinal).Where(g => g.Count() >= 2).Select(g => g.Key)
            .Order(StringComparer.Ordinal)];

    /// <summary>The budget (its name) that <paramref name="pod"/>'s first request waits on, given the budgets of its namespace
    /// (name → <c>spec.selector</c>) as the watch's initial state showed them; null when it goes at once.</summary>
    public static string? WaitsOn(DrainPod pod, IReadOnlyDictionary<string, JsonNode?> budgets)
    {
        string? found = null;
        foreach (var (name, selector) in budgets)
        {
            if (!BudgetSelector.Selects(selector, pod.Labels))
            {
                continue;
            }

            if (found is not null)
            {
                // Under two budgets: the server refuses it whatever they say, and its answer names the problem.
                return null;
            }

            found = name;
        }

        return found;
    }
}
