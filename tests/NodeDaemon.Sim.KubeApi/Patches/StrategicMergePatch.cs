using System.Text.Json.Nodes;

namespace NodeDaemon.Sim.KubeApi.Patches;

/// <summary>
/// Strategic merge patch as far as a client of the simulator sends it: kubectl cordon, uncordon and drain patch
/// <c>spec.unschedulable</c> alone, where strategic merge and JSON merge patch agree. A patch with a list or a
/// <c>$</c> directive, where they differ (merge keys, <c>$patch</c>, <c>$setElementOrder</c>), is refused rather than
/// applied wrong: docs/simulator.md says which client needs which patch type.
/// </summary>
public static class StrategicMergePatch
{
    /// <summary>Applies <paramref name="patch"/> to <paramref name="target"/>; null when the patch is one this
    /// simulator does not apply.</summary>
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch) =>
        patch is JsonObject patchObject && Simple(patchObject) ? MergePatch.Apply(target, patch) : null;

    // Objects of scalars and objects all the way down, no directive among the keys.
    private static bool Simple(JsonObject patch) =>
        patch.All(field => !field.Key.StartsWith('$') && field.Value switch
        {
            JsonArray => false,
            JsonObject inner => Simple(inner),
            _ => true,
        });
}
