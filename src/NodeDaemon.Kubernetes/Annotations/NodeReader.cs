using System.Text.Json;
using System.Text.Json.Nodes;
using NodeDaemon.Core.Cluster;

namespace NodeDaemon.Kubernetes.Annotations;

/// <summary>Reads a Node object (JSON) into a <see cref="NodeSnapshot"/>.</summary>
internal static class NodeReader
{
    /// <summary>The snapshot of <paramref name="node"/>.</summary>
    public static NodeSnapshot Read(JsonNode node)
    {
        var metadata = node["metadata"];
        return new NodeSnapshot(
            Text(metadata?["name"]),
            Text(metadata?["uid"]),
            Text(metadata?["resourceVersion"]),
            node["spec"]?["unschedulable"] is JsonValue v && v.GetValueKind() == JsonValueKind.True,
            Map(metadata?["annotations"]),
            Map(metadata?["labels"]));
    }

    /// <summary>A string field, or empty.</summary>
    public static string Text(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : "";

    /// <summary>A string map (labels, annotations); empty when absent.</summary>
    public static Dictionary<string, string> Map(JsonNode? node)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (node is JsonObject obj)
        {
            foreach (var (key, value) in obj)
            {
                map[key] = Text(value);
            }
        }

        return map;
    }
}
