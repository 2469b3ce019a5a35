namespace NodeDaemon.Core.Options;

/// <summary>Syntax check of a Kubernetes label selector string, the form <c>kubectl -l</c> takes.</summary>
/// <remarks>
/// Supports equality-based requirements (<c>k=v</c>, <c>k==v</c>, <c>k!=v</c>), existence (<c>k</c>, <c>!k</c>)
/// and set-based ones (<c>k in (a,b)</c>, <c>k notin (a,b)</c>). It only checks syntax so that a typo fails at
/// start rather than when the first drain asks the API server.
/// </remarks>
internal static class LabelSelectorSyntax
{
    /// <summary>Every problem of the selector, one per bad requirement; empty when it parses.</summary>
    public static IReadOnlyList<string> Check(string selector)
    {
        var problems = new List<string>();
        if (selector.Trim().Length == 0)
        {
            return problems;
        }

        if (!TrySplitRequirements(selector, out var requirements, out var splitProblem))
        {
            problems.Add($"{splitProblem} in {ValueText.Quote(selector)}");
            return problems;
        }

        foreach (var requirement in requirements)
        {
            if (CheckRequirement(requirement.Trim()) is { } problem)
            {
                problems.Add(problem);
            }
        }

        return problems;
    }

    // Commas separate requirements except inside the parentheses of a set-based value list.
    private static bool TrySplitRequirements(string selector, out List<string> requirements, out string problem)
    {
        requirements = [];
        problem = "";
        var depth = 0;
        var start = 0;
        for (var i = 0; i < selector.Length; i++)
        {
            switch (selector[i])
            {
                case '(':
                    depth++;
                    if (depth > 1)
                    {
                        problem = "has nested parentheses";
                        return false;
                    }

                    break;
                case ')':
                    depth--;
                    if (depth < 0)
                    {
                        problem = "has a ')' without a matching '('";
                        return false;
                    }

                    break;
                case ',' when depth == 0:
                    requirements.Add(selector[start..i]);
                    start = i + 1;
                    break;
            }
        }

        if (depth != 0)
        {
            problem = "has a '(' without a matching ')'";
            return false;
        }

        requirements.Add(selector[start..]);
        return true;
    }

    private static string? CheckRequirement(string requirement)
    {
        if (requirement.Length == 0)
        {
            return "has an empty requirement (a stray ',')";
        }

        var quoted = ValueText.Quote(requirement);
        if (requirement.StartsWith('!'))
        {
            return CheckKey(quoted, requirement[1..].Trim());
        }

        var open = requirement.IndexOf('(', StringComparison.Ordinal);
        if (open >= 0)
        {
            return CheckSetRequirement(quoted, requirement, open);
        }

        foreach (var op in (ReadOnlySpan<string>)["!=", "==", "="])
        {
            var at = requirement.IndexOf(op, StringComparison.Ordinal);
            if (at >= 0)
            {
                return CheckKey(quoted, requirement[..at].Trim())
                    ?? CheckValue(quoted, requirement[(at + op.Length)..].Trim());
            }
        }

        return CheckKey(quoted, requirement);
    }

    private static string? CheckSetRequirement(string quoted, string requirement, int open)
    {
        if (!requirement.EndsWith(')'))
        {
            return $"has an invalid requirement {quoted}: nothing may follow the ')'";
        }

        var head = requirement[..open].Trim();
        var space = head.LastIndexOfAny([' ', '\t']);
        var op = space < 0 ? head : head[(space + 1)..];
        if (op is not ("in" or "notin"))
        {
            return $"has an invalid requirement {quoted}: a value list needs the operator 'in' or 'notin'";
        }

        if (space < 0)
        {
            return $"has an invalid requirement {quoted}: a key must come before '{op}'";
        }

        var values = requirement[(open + 1)..^1].Split(',');
        if (values.Length == 1 && values[0].Trim().Length == 0)
        {
            return $"has an invalid requirement {quoted}: '{op}' needs at least one value";
        }

        return CheckKey(quoted, head[..space].Trim())
            ?? values.Select(v => CheckValue(quoted, v.Trim())).FirstOrDefault(p => p is not null);
    }

    private static string? CheckKey(string quoted, string key) =>
        KubernetesNames.CheckQualifiedName(key) is { } problem
            ? $"has an invalid requirement {quoted}: key {ValueText.Quote(key)} {problem}"
            : null;

    private static string? CheckValue(string quoted, string value) =>
        KubernetesNames.CheckLabelValue(value) is { } problem
            ? $"has an invalid requirement {quoted}: value {ValueText.Quote(value)} {problem}"
            : null;
}
