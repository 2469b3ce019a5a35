using System.Text.Json.Nodes;
using NodeDaemon.Kubernetes.Annotations;

namespace NodeDaemon.Kubernetes.Drain;

/// <summary>Whether a PodDisruptionBudget's selector selects a pod's labels, as the eviction registry decides it.</summary>
/// <remarks>
/// After kubernetes pkg/registry/core/pod/storage/eviction.go <c>getPodDisruptionBudgets</c> and apimachinery
/// <c>LabelSelectorAsSelector</c>: a missing or empty selector selects nothing, an invalid one (an unknown operator,
/// <c>In</c>/<c>NotIn</c> without values, <c>Exists</c>/<c>DoesNotExist</c> with values) selects nothing, and every
/// <c>matchLabels</c> pair and <c>matchExpressions</c> requirement must hold. Used only to name the budgets of a pod the
/// server refused for having more than one.
/// </remarks>
internal static class BudgetSelector
{
    /// <summary>True when <paramref name="selector"/> (a budget's <c>spec.selector</c>) selects <paramref name="labels"/>.</summary>
    public static bool Selects(JsonNode? selector, IReadOnlyDictionary<string, string> labels)
    {
        var matchLabels = selector?["matchLabels"] as JsonObject;
        var expressions = selector?["matchExpressions"] as JsonArray;
        if (selector is not JsonObject || ((matchLabels?.Count ?? 0) + (expressions?.Count ?? 0)) == 0)
        {
            return false;
        }

        foreach (var (key, value) in matchLabels ?? [])
        {
            if (!labels.TryGetValue(key, out var actual) || actual != NodeReader.Text(value))
            {
                return false;
            }
        }

        foreach (var expression in expressions ?? [])
        {
            if (Holds(expression, labels) is not true)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether one requirement holds; null when it is invalid (the whole selector then selects nothing).</summary>
    private static bool? Holds(JsonNode? expression, IReadOnlyDictionary<string, string> labels)
    {
        var key = NodeReader.Text(expression?["key"]);
        var values = (expression?["values"] as JsonArray ?? []).Select(NodeReader.Text).ToList();
        var has = labels.TryGetValue(key, out var actual);
        return NodeReader.Text(expression?["operator"]) switch
        {
            _ when key.Length == 0 => null,
            "In" when values.Count > 0 => has && values.Contains(actual!),
            "NotIn" when values.Count > 0 => !has || !values.Contains(actual!),
            "Exists" when values.Count == 0 => has,
            "DoesNotExist" when values.Count == 0 => !has,
            _ => null,
        };
    }
}
