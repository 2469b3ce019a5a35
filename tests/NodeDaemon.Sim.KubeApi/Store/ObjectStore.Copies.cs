using System.Text.Json;
using System.Text.Json.Nodes;

namespace NodeDaemon.Sim.KubeApi.Store;

/// <summary>How the store copies and writes out its objects.</summary>
public sealed partial class ObjectStore
{
    /// <summary>
    /// Writes <paramref name="items"/> (from <see cref="Snapshot"/>) as a JSON array without <c>kind</c> and
    /// <c>apiVersion</c> (typed list items carry none). With <paramref name="metadataApiVersion"/>, each item is a
    /// <c>PartialObjectMetadata</c> of that apiVersion instead: <c>kind</c>, <c>apiVersion</c> and <c>metadata</c> only,
    /// as the real server's <c>asPartialObjectMetadataList</c> makes it.
    /// </summary>
    internal static void WriteItems(IEnumerable<JsonObject> items, Utf8JsonWriter writer, JsonSerializerOptions options, string? metadataApiVersion = null)
    {
        writer.WriteStartArray();
        foreach (var obj in items)
        {
            writer.WriteStartObject();
            if (metadataApiVersion is not null)
            {
                writer.WriteString("kind", "PartialObjectMetadata");
                writer.WriteString("apiVersion", metadataApiVersion);
            }

            foreach (var (name, value) in obj)
            {
                if (name is "kind" or "apiVersion" || (metadataApiVersion is not null && name != "metadata"))
                {
                    continue;
                }

                writer.WritePropertyName(name);
                if (value is null)
                {
                    writer.WriteNullValue();
                }
                else
                {
                    value.WriteTo(writer, options);
                }
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    // Through the text, so that every number in a copy is element-backed and any numeric cast works on it (a JsonValue
    // built from a long in memory refuses an (int) cast).
    private static JsonObject Clone(JsonObject obj) => JsonNode.Parse(obj.ToJsonString())!.AsObject();

    /// <summary>
    /// Builds every object and array of a parsed copy now: a parsed JsonObject fills in its members on first read, and a
    /// stored object is read by many threads at once after the lock is released (lists, watches, copies).
    /// </summary>
    private static JsonObject Freeze(JsonObject obj)
    {
        Walk(obj);
        return obj;

        static void Walk(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject o:
                    foreach (var (_, value) in o)
                    {
                        Walk(value);
                    }

                    break;
                case JsonArray a:
                    foreach (var item in a)
                    {
                        Walk(item);
                    }

                    break;
            }
        }
    }
}
