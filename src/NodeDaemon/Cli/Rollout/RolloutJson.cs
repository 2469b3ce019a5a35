using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace NodeDaemon.Cli.Rollout;

/// <summary>Source-generated JSON for the rollout documents (Native AOT: no reflection).</summary>
[JsonSourceGenerationOptions(WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(RolloutView))]
[JsonSerializable(typeof(RolloutPlan))]

internal sealed partial class RolloutJsonContext : JsonSerializerContext;

/// <summary>Writes a JSON document as YAML (block style; strings double-quoted with JSON's escapes, which YAML reads the same).</summary>
internal static class YamlText
{
    /// <summary>The YAML form of <paramref name="json"/>.</summary>
    public static string From(string json)
    {
        var text = new StringBuilder();
        Write(text, JsonNode.Parse(json), 0);
        return text.ToString();
    }

    private static void Write(StringBuilder text, JsonNode? node, int indent)
    {
        var pad = new string(' ', indent);
        switch (node)
        {
            case JsonObject { Count: > 0 } obj:
                foreach (var (key, value) in obj)
                {
                    text.Append(pad).Append(Key(key)).Append(':');
                    if (IsBlock(value))
                    {
                        text.Append('\n');
                        Write(text, value, indent + 2);
                    }
                    else
                    {
                        text.Append(' ').Append(Scalar(value)).Append('\n');
                    }
                }

                break;
            case JsonArray { Count: > 0 } array:
                foreach (var item in array)
                {
                    if (item is JsonObject { Count: > 0 })
                    {
                        // The item's first key goes on its "- " line: write it indented, then put the dash in the indent.
                        var inner = new StringBuilder();
                        Write(inner, item, indent + 2);
                        text.Append(pad).Append("- ").Append(inner, indent + 2, inner.Length - indent - 2);
                    }
                    else if (IsBlock(item))
                    {
                        text.Append(pad).Append("-\n");
                        Write(text, item, indent + 2);
                    }
                    else
                    {
                        text.Append(pad).Append("- ").Append(Scalar(item)).Append('\n');
                    }
                }

                break;
            default:
                text.Append(pad).Append(Scalar(node)).Append('\n');
                break;
        }
    }

    private static bool IsBlock(JsonNode? node) => node is JsonObject { Count: > 0 } or JsonArray { Count: > 0 };

    // Plain when it is a word (every key these documents have); quoted otherwise.
    private static string Key(string key) => key.Length > 0 && char.IsAsciiLetter(key[0]) && key.All(char.IsAsciiLetterOrDigit) ? key : JsonValue.Create(key).ToJsonString();

    // JSON's default encoder writes "+" as \u002B (HTML-safe): valid YAML, but not what a person reads; the relaxed
    // encoder still escapes what YAML's double quotes need (quote, backslash, control characters).
    private static readonly JsonSerializerOptions s_plain = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string Scalar(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "{}",
        JsonArray => "[]",
        _ => node.ToJsonString(s_plain),
    };
}
