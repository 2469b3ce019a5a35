using System.Globalization;
using System.Text.Json.Nodes;

namespace NodeDaemon.Sim.KubeApi.Store;

/// <summary>Small helpers over <c>metadata</c> of a JsonObject and over Kubernetes timestamps.</summary>
public static class ObjectMeta
{
    /// <summary>The object's metadata, created when missing.</summary>
    public static JsonObject Metadata(JsonObject obj)
    {
        if (obj["metadata"] is JsonObject meta)
        {
            return meta;
        }

        meta = [];
        obj["metadata"] = meta;
        return meta;
    }

    /// <summary><c>metadata.name</c>, or null.</summary>
    public static string? Name(JsonObject obj) => (string?)(obj["metadata"]?["name"]);

    /// <summary><c>metadata.namespace</c>, or null.</summary>
    public static string? Namespace(JsonObject obj) => (string?)(obj["metadata"]?["namespace"]);

    /// <summary><c>metadata.uid</c>, or null.</summary>
    public static string? Uid(JsonObject obj) => (string?)(obj["metadata"]?["uid"]);

    /// <summary><c>metadata.resourceVersion</c>, or null.</summary>
    public static string? ResourceVersion(JsonObject obj) => (string?)(obj["metadata"]?["resourceVersion"]);

    /// <summary>The labels as a dictionary (empty when none).</summary>
    public static IReadOnlyDictionary<string, string> Labels(JsonObject obj)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (obj["metadata"]?["labels"] is JsonObject map)
        {
            foreach (var (key, value) in map)
            {
                labels[key] = value?.ToString() ?? "";
            }
        }

        return labels;
    }

    /// <summary>The controller owner reference (<c>controller: true</c>), or null.</summary>
    public static JsonObject? ControllerRef(JsonObject obj) =>
        (obj["metadata"]?["ownerReferences"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(r => (bool?)r["controller"] == true);

    /// <summary>A timestamp in the RFC 3339 form Kubernetes writes (whole seconds, UTC).</summary>
    public static string Timestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Reads a timestamp written by <see cref="Timestamp"/> or a client.</summary>
    public static DateTimeOffset? ParseTimestamp(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time : null;

    /// <summary>The store key of an object: <c>namespace/name</c> or <c>name</c>.</summary>
    public static string Key(string? ns, string name) => string.IsNullOrEmpty(ns) ? name : $"{ns}/{name}";
}
