using System.Text.Json;
using NodeDaemon.Core.Agent;

namespace NodeDaemon.Cli;

/// <summary>Reads a Node object (<c>kubectl get node NAME -o json</c>) into the decision's <see cref="NodeView"/>.</summary>
internal static class NodeJson
{
    /// <summary>Parses <paramref name="json"/> with the annotation keys under <paramref name="prefix"/>.</summary>
    public static NodeView Parse(string json, string prefix)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (!root.TryGetProperty("kind", out var kind) || kind.GetString() != "Node")
        {
            throw new FormatException("not a Node object: \"kind\" is not \"Node\"");
        }

        var annotations = new Dictionary<string, string>(StringComparer.Ordinal);
        if (root.TryGetProperty("metadata", out var metadata) && metadata.TryGetProperty("annotations", out var map)
            && map.ValueKind == JsonValueKind.Object)
        {
            foreach (var pair in map.EnumerateObject())
            {
                annotations[pair.Name] = pair.Value.ValueKind == JsonValueKind.String ? pair.Value.GetString()! : pair.Value.GetRawText();
            }
        }

        var unschedulable = root.TryGetProperty("spec", out var spec) && spec.TryGetProperty("unschedulable", out var flag)
            && flag.ValueKind == JsonValueKind.True;
        return new NodeView(
            annotations.GetValueOrDefault(prefix + "desired-image"),
            annotations.GetValueOrDefault(prefix + "paused") == "true",
            unschedulable,
            annotations.ContainsKey(prefix + "cordoned-by"));
    }
}
