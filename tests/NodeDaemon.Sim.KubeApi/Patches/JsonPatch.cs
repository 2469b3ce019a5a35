using System.Globalization;
using System.Text.Json.Nodes;
using NodeDaemon.Sim.KubeApi.Store;

namespace NodeDaemon.Sim.KubeApi.Patches;

/// <summary>JSON patch (RFC 6902): add, remove, replace, test, move and copy over JSON pointers with <c>~0</c>/<c>~1</c> escapes.</summary>
public static class JsonPatch
{
    /// <summary>Applies the operations in order; a malformed patch is 400, one that does not apply is 422 (as the real server).</summary>
    public static JsonObject Apply(JsonObject target, JsonNode? patch)
    {
        if (patch is not JsonArray operations)
        {
            throw new ApiException(StatusErrors.BadRequest("json: cannot unmarshal object into Go value of type jsonpatch.Patch"));
        }

        JsonNode document = target.DeepClone();
        foreach (var operation in operations)
        {
            var op = (string?)operation?["op"];
            var path = (string?)operation?["path"] ?? throw new ApiException(StatusErrors.PatchFailed($"missing path in operation {operation?.ToJsonString()}"));
            switch (op)
            {
                case "add":
                    document = Add(document, path, Value(operation!));
                    break;
                case "remove":
                    Remove(document, path);
                    break;
                case "replace":
                    Remove(document, path);
                    document = Add(document, path, Value(operation!));
                    break;
                case "test":
                    if (!JsonNode.DeepEquals(Find(document, path), operation!["value"]))
                    {
                        throw new ApiException(StatusErrors.PatchFailed($"testing value {path} failed: test failed"));
                    }

                    break;
                case "move":
                case "copy":
                    var from = (string?)operation!["from"] ?? throw new ApiException(StatusErrors.PatchFailed($"missing from in {op}"));
                    var value = Find(document, from)?.DeepClone() ?? throw new ApiException(StatusErrors.PatchFailed($"error in {op} for path: '{from}'"));
                    if (op == "move")
                    {
                        Remove(document, from);
                    }

                    document = Add(document, path, value);
                    break;
                default:
                    throw new ApiException(StatusErrors.PatchFailed($"Unexpected kind: {op}"));
            }
        }

        return document as JsonObject ?? throw new ApiException(StatusErrors.PatchFailed("the patched document is not an object"));
    }

    private static JsonNode? Value(JsonNode operation) =>
        operation is JsonObject o && o.ContainsKey("value") ? o["value"]?.DeepClone()
            : throw new ApiException(StatusErrors.PatchFailed($"missing value in operation {operation.ToJsonString()}"));

    private static string[] Tokens(string path) =>
        path.Length == 0 ? [] : path[0] != '/'
            ? throw new ApiException(StatusErrors.PatchFailed($"invalid JSON pointer: '{path}'"))
            : [.. path[1..].Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal))];

    private static JsonNode? Find(JsonNode document, string path)
    {
        JsonNode? node = document;
        foreach (var token in Tokens(path))
        {
            node = node switch
            {
                JsonObject o => o.TryGetPropertyValue(token, out var child) ? child : null,
                JsonArray a when int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < a.Count => a[i],
                _ => null,
            };
        }

        return node;
    }

    private static (JsonNode Parent, string Last) Parent(JsonNode document, string path, string op)
    {
        var tokens = Tokens(path);
        var parent = tokens.Length == 0 ? null : Find(document, "/" + string.Join('/', tokens[..^1].Select(Escape)));
        return parent is JsonObject or JsonArray ? (parent, tokens[^1]) : throw new ApiException(StatusErrors.PatchFailed($"{op} operation does not apply: doc is missing path: \"{path}\": missing value"));
    }

    private static string Escape(string token) => token.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    private static JsonNode Add(JsonNode document, string path, JsonNode? value)
    {
        if (path.Length == 0)
        {
            return value ?? throw new ApiException(StatusErrors.PatchFailed("cannot replace the document with null"));
        }

        var (parent, last) = Parent(document, path, "add");
        if (parent is JsonObject o)
        {
            o[last] = value;
        }
        else
        {
            var array = (JsonArray)parent;
            if (last == "-")
            {
                array.Add(value);
            }
            else if (int.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i <= array.Count)
            {
                array.Insert(i, value);
            }
            else
            {
                throw new ApiException(StatusErrors.PatchFailed($"add operation does not apply: doc is missing path: \"{path}\""));
            }
        }

        return document;
    }

    private static void Remove(JsonNode document, string path)
    {
        var (parent, last) = Parent(document, path, "remove");
        var removed = parent switch
        {
            JsonObject o => o.Remove(last),
            JsonArray a when int.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < a.Count => RemoveAt(a, i),
            _ => false,
        };
        if (!removed)
        {
            throw new ApiException(StatusErrors.PatchFailed($"error in remove for path: '{path}'"));
        }
    }

    private static bool RemoveAt(JsonArray array, int index)
    {
        array.RemoveAt(index);
        return true;
    }
}
