using System.Text.Json.Nodes;

namespace NodeDaemon.Sim.KubeApi.Patches;

/// <summary>
/// A subset of strategic merge patch: merge-patch semantics, plus merging by key for the lists whose Go types declare
/// <c>patchStrategy:"merge"</c> (conditions, owner references, containers, volumes, addresses...), with
/// <c>$patch: delete|replace</c> on list items and maps; <c>$setElementOrder</c>, <c>$retainKeys</c> and
/// <c>$deleteFromPrimitiveList</c> directives are accepted and ignored. This covers what kubectl cordon, label, annotate
/// and taint send.
/// </summary>
public static class StrategicMergePatch
{
    // Field name → merge key, for the list fields the daemon and kubectl touch. Taints have no merge strategy in NodeSpec:
    // a patch replaces the whole list, as on a real server.
    private static readonly Dictionary<string, string> _mergeKeys = new(StringComparer.Ordinal)
    {
        ["conditions"] = "type",
        ["ownerReferences"] = "uid",
        ["containers"] = "name",
        ["initContainers"] = "name",
        ["volumes"] = "name",
        ["addresses"] = "type",
        ["env"] = "name",
        ["volumeMounts"] = "mountPath",
        ["tolerations"] = "key",
        ["containerStatuses"] = "name",
    };

    /// <summary>Applies the patch to the target and returns the result.</summary>
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        if ((string?)patchObject["$patch"] == "replace")
        {
            var replaced = patchObject.DeepClone().AsObject();
            replaced.Remove("$patch");
            return replaced;
        }

        if ((string?)patchObject["$patch"] == "delete")
        {
            return null;
        }

        var result = target is JsonObject targetObject ? targetObject.DeepClone().AsObject() : [];
        foreach (var (key, value) in patchObject)
        {
            if (key.StartsWith('$'))
            {
                continue;
            }

            if (value is null)
            {
                result.Remove(key);
            }
            else if (value is JsonArray list && _mergeKeys.TryGetValue(key, out var mergeKey) && result[key] is JsonArray current)
            {
                result[key] = MergeList(current, list, mergeKey);
            }
            else
            {
                var merged = Apply(result[key], value);
                if (merged is null)
                {
                    result.Remove(key);
                }
                else
                {
                    result[key] = merged;
                }
            }
        }

        return result;
    }

    private static JsonArray MergeList(JsonArray current, JsonArray patch, string mergeKey)
    {
        var result = current.DeepClone().AsArray();
        foreach (var item in patch.OfType<JsonObject>())
        {
            var key = item[mergeKey]?.ToString();
            var index = -1;
            for (var i = 0; i < result.Count; i++)
            {
                if (result[i]?[mergeKey]?.ToString() == key)
                {
                    index = i;
                    break;
                }
            }

            if ((string?)item["$patch"] == "delete")
            {
                if (index >= 0)
                {
                    result.RemoveAt(index);
                }
            }
            else if (index >= 0)
            {
                result[index] = Apply(result[index], item);
            }
            else
            {
                var added = item.DeepClone().AsObject();
                added.Remove("$patch");
                result.Add(added);
            }
        }

        return result;
    }
}
