using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using NodeDaemon.Core.Cluster;
using NodeDaemon.Core.Text;
using NodeDaemon.Kubernetes.Health;

namespace NodeDaemon.Kubernetes.Annotations;

/// <summary>Reads a Node object (JSON) into a <see cref="NodeSnapshot"/>: the watch, the client and <c>explain</c> all read through here.</summary>
/// <remarks>
/// The object comes from a server, or a file, nobody here wrote, so nothing in it may end the process: a member of the
/// wrong type reads as absent, a repeated key keeps its last value (as Go's encoding/json, which kubectl and the API
/// server use, does), and a lone surrogate escape reads as U+FFFD.
/// </remarks>
public static class NodeReader
{
    /// <summary>The snapshot of <paramref name="node"/>.</summary>
    public static NodeSnapshot Read(JsonNode? node)
    {
        // JsonObject throws on a repeated key when it is first indexed; the text it was parsed from is still whole.
        using var document = JsonDocument.Parse(node?.ToJsonString() ?? "null");
        return Read(document.RootElement);
    }

    /// <summary>The snapshot of <paramref name="node"/>; members that are absent or of another type read as empty.</summary>
    public static NodeSnapshot Read(JsonElement node)
    {
        var metadata = Member(node, "metadata");
        return new NodeSnapshot(
            Text(Member(metadata, "name")),
            Text(Member(metadata, "uid")),
            Text(Member(metadata, "resourceVersion")),
            Member(Member(node, "spec"), "unschedulable").ValueKind == JsonValueKind.True,
            Map(Member(metadata, "annotations")),
            Map(Member(metadata, "labels")))
        {
            Conditions = Conditions(Member(Member(node, "status"), "conditions")),
            Ready = HealthJson.ReadyCondition(node),
        };
    }

    /// <summary>Parses a Node object as <c>kubectl get node NAME -o json</c> prints it; throws <see cref="FormatException"/> in words otherwise.</summary>
    public static NodeSnapshot Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            // As KubeApi does with every body: a lone surrogate escape becomes U+FFFD before anything reads it.
            document = JsonDocument.Parse(JsonText.RepairSurrogateEscapes(json));
        }
        catch (JsonException e)
        {
            throw new FormatException(
                $"not valid JSON at line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1} (or nested deeper than 64 levels)", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException($"not a Node object: the top level is {root.ValueKind.ToString().ToLowerInvariant()}, not an object");
            }

            if (Text(Member(root, "kind")) != "Node")
            {
                throw new FormatException("not a Node object: \"kind\" is not \"Node\"");
            }

            if (Member(root, "metadata").ValueKind is not (JsonValueKind.Object or JsonValueKind.Undefined))
            {
                throw new FormatException("not a Node object: \"metadata\" is not an object");
            }

            return Read(root);
        }
    }

    /// <summary>A string field, or empty.</summary>
    public static string Text(JsonNode? node)
    {
        if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.String)
        {
            return "";
        }

        return value.TryGetValue<JsonElement>(out var element) ? JsonText.StringOf(element) ?? "" : value.GetValue<string>();
    }

    /// <summary>A string field, or empty.</summary>
    public static string Text(JsonElement element) => JsonText.StringOf(element) ?? "";

    /// <summary>An integer field, or null when it is absent or not an integer (a server's <c>"code": "410"</c> is no crash).</summary>
    public static int? WholeNumber(JsonNode? node) => node is JsonValue value && value.TryGetValue<int>(out var number) ? number : null;

    // The last member of that name (Go's rule for a repeated key); Undefined when absent or when this is no object.
    private static JsonElement Member(JsonElement element, string name)
    {
        var found = default(JsonElement);
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (JsonText.NameOf(property) == name)
                {
                    found = property.Value;
                }
            }
        }

        return found;
    }

    /// <summary>A string map (labels, annotations) of a parsed node; empty when absent or not an object.</summary>
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

    // Elements that are no object or have no type are skipped; a transition time that does not parse reads as absent.
    private static List<NodeConditionValue> Conditions(JsonElement list)
    {
        var conditions = new List<NodeConditionValue>();
        if (list.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in list.EnumerateArray())
            {
                var type = Text(Member(item, "type"));
                if (item.ValueKind == JsonValueKind.Object && type.Length > 0)
                {
                    conditions.Add(new NodeConditionValue(type, Text(Member(item, "status")), Text(Member(item, "reason")), Text(Member(item, "message")),
                        DateTimeOffset.TryParse(Text(Member(item, "lastTransitionTime")), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null));
                }
            }
        }

        return conditions;
    }

    private static Dictionary<string, string> Map(JsonElement element)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                map[JsonText.NameOf(property)] = Text(property.Value);
            }
        }

        return map;
    }
}
