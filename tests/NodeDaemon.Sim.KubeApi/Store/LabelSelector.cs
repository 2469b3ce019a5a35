using System.Text.Json.Nodes;

namespace NodeDaemon.Sim.KubeApi.Store;

/// <summary>Label selectors in both forms: the <c>labelSelector</c> query string and a <c>spec.selector</c> object.</summary>
public sealed class LabelSelector
{
    private readonly List<Func<IReadOnlyDictionary<string, string>, bool>> _requirements = [];
    private readonly bool _matchesNothing;

    private LabelSelector(bool matchesNothing) => _matchesNothing = matchesNothing;

    /// <summary>Parses <c>a=b,c!=d,e in (f,g),h notin (i),j,!k</c>.</summary>
    public static LabelSelector Parse(string? text)
    {
        var selector = new LabelSelector(false);
        foreach (var term in SplitTerms(text ?? ""))
        {
            selector._requirements.Add(ParseTerm(term, text!));
        }

        return selector;
    }

    /// <summary>
    /// A <c>metav1.LabelSelector</c> object (<c>matchLabels</c>, <c>matchExpressions</c>). As in policy/v1, a null selector
    /// matches nothing and an empty one matches everything.
    /// </summary>
    public static LabelSelector FromObject(JsonObject? obj)
    {
        if (obj is null)
        {
            return new LabelSelector(true);
        }

        var selector = new LabelSelector(false);
        if (obj["matchLabels"] is JsonObject labels)
        {
            foreach (var (key, value) in labels)
            {
                var wanted = value?.ToString() ?? "";
                selector._requirements.Add(l => l.TryGetValue(key, out var v) && v == wanted);
            }
        }

        foreach (var expression in (obj["matchExpressions"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var key = (string?)expression["key"] ?? "";
            var values = (expression["values"] as JsonArray ?? []).Select(v => v?.ToString() ?? "").ToHashSet(StringComparer.Ordinal);
            Func<IReadOnlyDictionary<string, string>, bool> requirement = (string?)expression["operator"] switch
            {
                "In" => l => l.TryGetValue(key, out var v) && values.Contains(v),
                "NotIn" => l => !l.TryGetValue(key, out var v) || !values.Contains(v),
                "Exists" => l => l.ContainsKey(key),
                "DoesNotExist" => l => !l.ContainsKey(key),
                var op => throw new ApiException(StatusErrors.BadRequest($"{op} is not a valid label selector operator")),
            };
            selector._requirements.Add(requirement);
        }

        return selector;
    }

    /// <summary>Whether a label set matches.</summary>
    public bool Matches(IReadOnlyDictionary<string, string> labels) => !_matchesNothing && _requirements.All(r => r(labels));

    private static Func<IReadOnlyDictionary<string, string>, bool> ParseTerm(string term, string text)
    {
        if (term.StartsWith('!'))
        {
            var key = term[1..].Trim();
            return l => !l.ContainsKey(key);
        }

        foreach (var (op, negate) in new[] { (" notin ", true), (" in ", false) })
        {
            var at = term.IndexOf(op, StringComparison.Ordinal);
            if (at > 0)
            {
                var key = term[..at].Trim();
                var set = term[(at + op.Length)..].Trim().TrimStart('(').TrimEnd(')')
                    .Split(',', StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
                return negate ? l => !l.TryGetValue(key, out var v) || !set.Contains(v) : l => l.TryGetValue(key, out var v) && set.Contains(v);
            }
        }

        foreach (var (op, equal) in new[] { ("!=", false), ("==", true), ("=", true) })
        {
            var at = term.IndexOf(op, StringComparison.Ordinal);
            if (at > 0)
            {
                var key = term[..at].Trim();
                var value = term[(at + op.Length)..].Trim();
                return equal ? l => l.TryGetValue(key, out var v) && v == value : l => !l.TryGetValue(key, out var v) || v != value;
            }
        }

        if (term.Length == 0 || term.Contains(' ', StringComparison.Ordinal))
        {
            throw new ApiException(StatusErrors.BadRequest($"unable to parse requirement: found '{term}' in '{text}'"));
        }

        return l => l.ContainsKey(term);
    }

    // Commas separate terms except inside the parentheses of in/notin sets.
    private static IEnumerable<string> SplitTerms(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i == text.Length || (text[i] == ',' && depth == 0))
            {
                var term = text[start..i].Trim();
                if (term.Length > 0)
                {
                    yield return term;
                }

                start = i + 1;
            }
            else if (text[i] == '(')
            {
                depth++;
            }
            else if (text[i] == ')')
            {
                depth--;
            }
        }
    }
}
