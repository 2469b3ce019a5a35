using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace NodeDaemon.Sim.KubeApi.Auth;

/// <summary>
/// The shipped ValidatingAdmissionPolicies (docs/admission-policy.yaml) as the test API server enforces them: the lists,
/// names and messages come from the file, the rules themselves are <see cref="AdmissionRules"/> (a C# rendering of exactly
/// those CEL expressions, not a CEL engine). A file whose policies have other rules than the evaluator knows fails to load,
/// so the two cannot drift apart silently.
/// </summary>
public sealed partial record AdmissionPolicy
{
    /// <summary>The policy holding each daemon to its own Node.</summary>
    public const string OwnNode = "nodedaemon-own-node";

    /// <summary>The policy holding each daemon to tokens for its own Node.</summary>
    public const string OwnToken = "nodedaemon-own-token";

    /// <summary>The policy holding each daemon to its own pool's slot Leases.</summary>
    public const string PoolLeases = "nodedaemon-pool-leases";

    // How many validations the evaluator knows for each policy, in the file's order.
    private static readonly Dictionary<string, int> s_rules = new(StringComparer.Ordinal) { [OwnNode] = 5, [OwnToken] = 1, [PoolLeases] = 2 };

    /// <summary>The policy file the repository ships, copied next to the simulator.</summary>
    public static string ShippedPolicy => Path.Combine(AppContext.BaseDirectory, "KubeApi", "admission-policy.yaml");

    /// <summary>The user the policies apply to (their matchConditions).</summary>
    public required string DaemonUser { get; init; }

    /// <summary>The annotation keys the daemon may change on its Node.</summary>
    public required IReadOnlyList<string> AllowedAnnotations { get; init; }

    /// <summary>The label keys the daemon may change on its Node.</summary>
    public required IReadOnlyList<string> AllowedLabels { get; init; }

    /// <summary>The label whose value names a Node's pool (the file's <c>poolLabel</c>; an admin edits it to match
    /// <c>fleet.poolLabel</c>, and a test may do the same with <c>with</c>).</summary>
    public required string PoolLabel { get; init; }

    /// <summary>What every slot Lease name starts with.</summary>
    public required string LeasePrefix { get; init; }

    /// <summary>The pool segment of Lease names for the empty pool value.</summary>
    public required string EmptyPoolSegment { get; init; }

    /// <summary>Per policy: its binding's name and its validations' messages and reasons, in order.</summary>
    public required IReadOnlyDictionary<string, PolicyText> Policies { get; init; }

    /// <summary>The policies of a file's text; throws <see cref="InvalidDataException"/> when they are not the ones the evaluator knows.</summary>
    public static AdmissionPolicy Parse(string yaml)
    {
        var documents = YamlDocuments.Parse(yaml);
        var bindings = documents.Where(d => Text(d["kind"]) == "ValidatingAdmissionPolicyBinding")
            .ToDictionary(d => Text(d["spec"]?["policyName"]), d => Text(d["metadata"]?["name"]), StringComparer.Ordinal);
        var policies = new Dictionary<string, PolicyText>(StringComparer.Ordinal);
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        var users = new HashSet<string>(StringComparer.Ordinal);
        foreach (var policy in documents.Where(d => Text(d["kind"]) == "ValidatingAdmissionPolicy"))
        {
            var name = Text(policy["metadata"]?["name"]);
            var spec = policy["spec"] as JsonObject ?? [];
            var validations = (spec["validations"] as JsonArray ?? []).OfType<JsonObject>()
                .Select(v => new ValidationText(Text(v["message"]), Text(v["reason"]) is { Length: > 0 } reason ? reason : "Invalid")).ToList();
            if (!s_rules.TryGetValue(name, out var count) || count != validations.Count)
            {
                throw new InvalidDataException($"policy {name} has {validations.Count} validations; the test API server's evaluator knows "
                    + (count == 0 ? "no such policy" : $"{count}") + ": change AdmissionRules with the file");
            }

            policies[name] = new PolicyText(bindings.GetValueOrDefault(name) ?? throw new InvalidDataException($"policy {name} has no binding"), validations);
            foreach (var variable in (spec["variables"] as JsonArray ?? []).OfType<JsonObject>())
            {
                variables[Text(variable["name"])] = Text(variable["expression"]);
            }

            foreach (var condition in (spec["matchConditions"] as JsonArray ?? []).OfType<JsonObject>())
            {
                users.Add(UsernameCondition().Match(Text(condition["expression"])) is { Success: true } m ? m.Groups[1].Value : "");
            }
        }

        if (policies.Count != s_rules.Count || users.Count != 1 || users.Single().Length == 0)
        {
            throw new InvalidDataException($"expected the policies {string.Join(", ", s_rules.Keys)}, each matching one service account by username");
        }

        return new AdmissionPolicy
        {
            DaemonUser = users.Single(),
            AllowedAnnotations = Literals(variables, "allowedAnnotations"),
            AllowedLabels = Literals(variables, "allowedLabels"),
            PoolLabel = Literal(variables, "poolLabel"),
            LeasePrefix = Literal(variables, "leasePrefix"),
            EmptyPoolSegment = Literal(variables, "emptyPoolSegment"),
            Policies = policies,
        };
    }

    /// <summary>The policies of the file at <paramref name="path"/>.</summary>
    public static AdmissionPolicy Load(string path) => Parse(File.ReadAllText(path));

    // A variable that is a list literal of single-quoted strings.
    private static string[] Literals(Dictionary<string, string> variables, string name)
    {
        var expression = variables.GetValueOrDefault(name)?.Trim() ?? "";
        if (!expression.StartsWith('[') || !expression.EndsWith(']'))
        {
            throw new InvalidDataException($"variable {name} is not a list literal: {expression}");
        }

        return [.. QuotedString().Matches(expression).Select(m => m.Groups[1].Value)];
    }

    // A variable that is one single-quoted string literal.
    private static string Literal(Dictionary<string, string> variables, string name) =>
        QuotedString().Match(variables.GetValueOrDefault(name) ?? "") is { Success: true } m && m.Value == variables[name].Trim()
            ? m.Groups[1].Value
            : throw new InvalidDataException($"variable {name} is not a string literal");

    private static string Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : "";

    [GeneratedRegex("'([^'\\\\]*)'")]
    private static partial Regex QuotedString();

    [GeneratedRegex("^request\\.userInfo\\.username == '([^']*)'$")]
    private static partial Regex UsernameCondition();
}

/// <summary>What the file says about one policy besides its rules.</summary>
/// <param name="Binding">The name of its binding.</param>
/// <param name="Validations">Its validations' messages and reasons, in order.</param>
public sealed record PolicyText(string Binding, IReadOnlyList<ValidationText> Validations);

/// <summary>One validation's message and the Status reason of its denial (<c>Invalid</c> when the file gives none).</summary>
/// <param name="Message">The message.</param>
/// <param name="Reason">Forbidden (403), Invalid (422), Unauthorized (401) or RequestEntityTooLarge (413).</param>
public sealed record ValidationText(string Message, string Reason);
