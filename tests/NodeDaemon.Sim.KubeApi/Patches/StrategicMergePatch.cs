using System.Text.Json.Nodes;

namespace NodeDaemon.Sim.KubeApi.Patches;

/// <summary>
/// Strategic merge patch as far as a client of the simulator sends it: kubectl cordon, uncordon and drain patch
/// <c>spec.unschedulable</c> alone, where strategic merge and JSON merge patch agree; the daemon and the kubelet model
/// patch <c>status.conditions</c>, a list core/v1 declares <c>patchStrategy:"merge" patchMergeKey:"type"</c> (NodeStatus
/// in k8s.io/api core/v1/types.go): each element merges into the one of its type, or is appended, and the others stay.
/// Any other list, and any <c>$</c> directive (<c>$patch</c>, <c>$setElementOrder</c>, <c>$retainKeys</c>), is refused
/// rather than applied wrong: docs/simulator.md says which client needs which patch type.
/// </summary>
public static class StrategicMergePatch
{
    // The merge-keyed lists the simulator merges, by path from the object's root (k8s.io/api core/v1/types.go).
    private static readonly Dictionary<string, string> s_mergeKeys = new(StringComparer.Ordinal)
    {
        ["status.conditions"] = "type",
        ["status.addresses"] = "type",
    };

    /// <summary>Applies <paramref name="patch"/> to <paramref name="target"/>; null when the patch is one this
    /// simulator does not apply.</summary>
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch) =>
        patch is JsonObject patchObject && Supported(patchObject, "") ? Merge(target, patchObject, "") : null;

    // Objects of scalars, objects and known merge-keyed lists all the way down, no directive among the keys.
    private static bool Supported(JsonObject patch, string path) =>
        patch.All(field => !field.Key.StartsWith('$') && field.Value switch
        {
            JsonArray list => s_mergeKeys.TryGetValue(Join(path, field.Key), out var key)
                && list.All(e => e is JsonObject element && element[key] is JsonValue && Supported(element, "") && element.All(f => f.Value is not JsonArray)),
            JsonObject inner => Supported(inner, Join(path, field.Key)),
            _ => true,
        });

    private static JsonObject Merge(JsonNode? target, JsonObject patch, string path)
    {
        var result = target is JsonObject targetObject ? targetObject.DeepClone().AsObject() : [];
        foreach (var (name, value) in patch)
        {
            var here = Join(path, name);
            result[name] = value switch
            {
                null => null,
                JsonArray list => MergeList(result[name] as JsonArray, list, s_mergeKeys[here]),
                JsonObject inner => Merge(result[name], inner, here),
                _ => value.DeepClone(),
            };
            if (value is null)
            {
                result.Remove(name);
            }
        }

        return result;
    }

    // Each patch element merges into the target's element with the same key (a JSON merge patch of the element), or
    // is appended; the target's other elements stay where they are.
    private static JsonArray MergeList(JsonArray? target, JsonArray patch, string key)
    {
        var result = target?.DeepClone().AsArray() ?? [];
        foreach (var element in patch.OfType<JsonObject>())
        {
            var id = element[key]!.ToJsonString();
            var index = result.Select((e, i) => (e, i)).FirstOrDefault(p => p.e?[key]?.ToJsonString() == id, (null, -1)).i;
            if (index < 0)
            {
                result.Add(MergePatch.Apply(null, element));
            }
            else
            {
                result[index] = MergePatch.Apply(result[index], element);
            }
        }

        return result;
    }

    private static string Join(string path, string name) => path.Length == 0 ? name : path + "." + name;
}
