using System.Text.Json;
using NodeDaemon.Core.Agent;

namespace NodeDaemon.Cli;

/// <summary>Reads a Node object (<c>kubectl get node NAME -o json</c>) into the decision's <see cref="NodeView"/>.</summary>
internal static class NodeJson
{
    /// <summary>Parses <paramref name="json"/> with the annotation keys under <paramref name="prefix"/>.</summary>
    /// <param name="json">The Node object.</param>
    /// <param name="prefix">The annotation prefix.</param>
    /// <param name="poolLabel">The label naming the pool (fleet coordination on); null leaves the pool unread.</param>
    public static NodeView Parse(string json, string prefix, string? poolLabel = null)
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

        string? pool = null;
        if (poolLabel is not null && root.TryGetProperty("metadata", out var meta) && meta.TryGetProperty("labels", out var labels)
            && labels.ValueKind == JsonValueKind.Object && labels.TryGetProperty(poolLabel, out var value) && value.ValueKind == JsonValueKind.String)
        {
            pool = value.GetString();
        }

        var unschedulable = root.TryGetProperty("spec", out var spec) && spec.TryGetProperty("unschedulable", out var flag)
            && flag.ValueKind == JsonValueKind.True;
        return new NodeView(
            annotations.GetValueOrDefault(prefix + "desired-image"),
            annotations.GetValueOrDefault(prefix + "paused") == "true",
            unschedulable,
            unschedulable && annotations.ContainsKey(prefix + "cordoned-by"),
            pool,
            StaleMark: !unschedulable && annotations.ContainsKey(prefix + "cordoned-by"));
    }
}
