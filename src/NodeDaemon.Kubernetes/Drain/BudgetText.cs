using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NodeDaemon.Kubernetes.Annotations;

namespace NodeDaemon.Kubernetes.Drain;

/// <summary>Reads which budget refused an eviction, and why, from the 429 itself, for the progress line.</summary>
/// <remarks>
/// The eviction registry writes the budget's status into the refusal (<c>The disruption budget web needs 2 healthy
/// pods and has 2 currently</c>, or why it allows nothing), as current as a read of the budget a moment later would
/// be: so the budget is never read.
/// </remarks>
internal static partial class BudgetText
{
    /// <summary>The budget named in a 429's <c>DisruptionBudget</c> cause, or null.</summary>
    public static string? BudgetName(JsonNode? status)
    {
        var match = BudgetInCause().Match(Cause(status));
        return match.Success ? match.Groups["name"].Value : null;
    }

    /// <summary><c>PDB web: 1 healthy needed, 1 present</c> (or the cause's own words after the name) from a 429's cause.</summary>
    public static string Describe(string name, JsonNode? status)
    {
        var cause = Cause(status);
        var counts = Counts().Match(cause);
        if (counts.Success)
        {
            return $"PDB {name}: {counts.Groups["desired"].Value} healthy needed, {counts.Groups["current"].Value} present";
        }

        var words = BudgetInCause().Match(cause) is { Success: true } named ? cause[(named.Groups["name"].Index + name.Length)..].Trim().TrimEnd('.') : "";
        return words.Length > 0 ? $"PDB {name}: {words}" : $"PDB {name}";
    }

    private static string Cause(JsonNode? status)
    {
        var causes = status?["details"]?["causes"] as JsonArray;
        return NodeReader.Text(causes?.FirstOrDefault(c => NodeReader.Text(c?["reason"]) == "DisruptionBudget")?["message"]);
    }

    // The eviction registry's wordings: "The disruption budget NAME needs D healthy pods and has C currently",
    // "... NAME does not allow evicting pods currently[ (reason)][: why]", "... NAME is still being processed by the server."
    [GeneratedRegex(@"disruption budget (?<name>\S+) (needs|does not allow|is still)", RegexOptions.CultureInvariant)]
    private static partial Regex BudgetInCause();

    [GeneratedRegex(@"needs (?<desired>\d+) healthy pods and has (?<current>\d+) currently", RegexOptions.CultureInvariant)]
    private static partial Regex Counts();
}
