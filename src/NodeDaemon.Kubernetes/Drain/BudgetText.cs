using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NodeDaemon.Kubernetes.Annotations;

namespace NodeDaemon.Kubernetes.Drain;

/// <summary>Reads which budget refused an eviction, and words its status for the progress line.</summary>
internal static partial class BudgetText
{
    /// <summary>The budget named in a 429's <c>DisruptionBudget</c> cause, or null.</summary>
    public static string? BudgetName(JsonNode? status)
    {
        var causes = status?["details"]?["causes"] as JsonArray;
        var cause = causes?.FirstOrDefault(c => NodeReader.Text(c?["reason"]) == "DisruptionBudget");
        var match = BudgetInCause().Match(NodeReader.Text(cause?["message"]));
        return match.Success ? match.Groups["name"].Value : null;
    }

    /// <summary><c>PDB web: 1 healthy needed, 1 present</c> from a budget object.</summary>
    public static string Describe(string name, JsonNode? budget)
    {
        var status = budget?["status"];
        return status?["desiredHealthy"] is JsonValue desired && status["currentHealthy"] is JsonValue current
            ? string.Create(CultureInfo.InvariantCulture, $"PDB {name}: {desired.GetValue<long>()} healthy needed, {current.GetValue<long>()} present")
            : $"PDB {name}";
    }

    // The eviction registry's wording: "The disruption budget NAME needs D healthy pods and has C currently".
    [GeneratedRegex(@"disruption budget (?<name>\S+) needs", RegexOptions.CultureInvariant)]
    private static partial Regex BudgetInCause();
}
