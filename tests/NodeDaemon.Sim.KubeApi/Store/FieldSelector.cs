using System.Text.Json.Nodes;

namespace NodeDaemon.Sim.KubeApi.Store;

/// <summary>A parsed <c>fieldSelector</c> (<c>a=b,c!=d</c>), limited to the fields the real server supports per resource.</summary>
public sealed class FieldSelector
{
    private readonly List<(string Field, string[] Path, string Value, bool Equal)> _terms = [];

    private FieldSelector()
    {
    }

    /// <summary>Parses a selector; 400 <c>field label not supported</c> for a field the resource does not index.</summary>
    public static FieldSelector Parse(string? text, ResourceType type)
    {
        var selector = new FieldSelector();
        foreach (var term in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var (op, at) = term.Contains("!=", StringComparison.Ordinal) ? ("!=", term.IndexOf("!=", StringComparison.Ordinal))
                : term.Contains("==", StringComparison.Ordinal) ? ("==", term.IndexOf("==", StringComparison.Ordinal))
                : ("=", term.IndexOf('=', StringComparison.Ordinal));
            if (at <= 0)
            {
                throw new ApiException(StatusErrors.BadRequest($"invalid selector: '{text}'; can't understand '{term}'"));
            }

            var field = term[..at].Trim();
            if (!type.FieldLabels.Contains(field))
            {
                throw new ApiException(StatusErrors.BadRequest($"field label not supported: {field}"));
            }

            selector._terms.Add((field, field.Split('.'), term[(at + op.Length)..].Trim(), op != "!="));
        }

        return selector;
    }

    /// <summary>The one name the selector pins (<c>metadata.name=X</c>), or null: a daemon's watch of its own Node.</summary>
    public string? ExactName => _terms.FirstOrDefault(t => t.Field == "metadata.name" && t.Equal).Value;

    /// <summary>Whether the object matches every term.</summary>
    public bool Matches(JsonObject obj) => _terms.All(t => (FieldValue(obj, t.Field, t.Path) == t.Value) == t.Equal);

    private static string FieldValue(JsonObject obj, string path, string[] parts)
    {
        JsonNode? node = obj;
        foreach (var part in parts)
        {
            node = node is JsonObject o ? o[part] : null;
        }

        return node switch
        {
            null => path == "spec.unschedulable" || path == "spec.hostNetwork" ? "false" : "",
            JsonValue v when v.TryGetValue<bool>(out var b) => b ? "true" : "false",
            _ => node.ToString(),
        };
    }
}
