using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace NodeDaemon.Sim.RpmOstree;

/// <summary>What a reboot does to an rpm-ostree status document: ostree's finalization at shutdown, then the new boot.</summary>
public static class BootTransition
{
    /// <summary>The simulator-only section of the state document.</summary>
    public const string SimKey = "nodedaemon-sim";

    /// <summary>Applies one reboot to <paramref name="doc"/> and says what happened.</summary>
    /// <param name="doc">The state document (edited in place).</param>
    /// <param name="finalizationLost">The fault "finalization is lost": even an unlocked stage is not applied.</param>
    public static BootSummary Apply(JsonObject doc, bool finalizationLost)
    {
        ArgumentNullException.ThrowIfNull(doc);
        var sim = doc[SimKey] as JsonObject ?? [];
        doc[SimKey] = sim;
        var lost = finalizationLost || (sim["finalization-lost"]?.GetValue<bool>() ?? false);
        var deployments = (doc["deployments"] as JsonArray ?? []).OfType<JsonObject>().ToList();

        var staged = deployments.FirstOrDefault(d => Flag(d, "staged"));
        var locked = staged is not null && IsLocked(sim, staged);
        var stagedOutcome = "none";
        if (staged is not null)
        {
            // Only ostree-finalize-staged.service turns a stage into a deployment, and it refuses a locked one.
            deployments.Remove(staged);
            stagedOutcome = locked ? "dropped-locked" : lost ? "dropped-finalization-lost" : "applied";
            if (stagedOutcome == "applied")
            {
                staged["staged"] = false;
                staged.Remove("finalization-locked");
                deployments.Insert(0, staged);
            }
        }

        var kept = Keep(deployments);
        var newDeployments = new JsonArray();
        for (var i = 0; i < kept.Count; i++)
        {
            kept[i]["booted"] = i == 0;
            kept[i]["staged"] = false;
            newDeployments.Add(kept[i].DeepClone());
        }

        doc["deployments"] = newDeployments;
        doc["transaction"] = null;
        var bootCount = (sim["boot-count"]?.GetValue<int>() ?? 0) + 1;
        var bootId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        sim["boot-count"] = bootCount;
        sim["boot-id"] = bootId;
        sim["staged-locked"] = null;
        sim["reboot-requested"] = null;
        var booted = kept.Count > 0 ? kept[0] : null;
        return new BootSummary(
            stagedOutcome,
            booted?["checksum"]?.GetValue<string>(),
            booted?["container-image-reference-digest"]?.GetValue<string>(),
            bootCount,
            bootId);
    }

    private static bool Flag(JsonObject d, string key) => d[key]?.GetValue<bool>() ?? false;

    private static bool IsLocked(JsonObject sim, JsonObject staged) =>
        sim["staged-locked"] is JsonValue remembered ? remembered.GetValue<bool>() : Flag(staged, "finalization-locked");

    /// <summary>ostree keeps the new default and the one booted before it (plus pinned ones) and prunes the rest.</summary>
    private static List<JsonObject> Keep(List<JsonObject> deployments)
    {
        var kept = deployments.Take(2).ToList();
        kept.AddRange(deployments.Skip(2).Where(d => Flag(d, "pinned")));
        return kept;
    }
}
