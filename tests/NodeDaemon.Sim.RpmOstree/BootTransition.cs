using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace NodeDaemon.Sim.RpmOstree;

/// <summary>What a reboot does to an rpm-ostree status document: ostree's finalization at shutdown, then the new boot.</summary>
public static class BootTransition
{
    /// <summary>The simulator-only section of the state document.</summary>
    public const string SimKey = "nodedaemon-sim";

    /// <summary>The simulator-section key where a fallback boot is noted for the simulator started after it.</summary>
    public const string FallbackKey = "fallback-boot";

    /// <summary>Applies one reboot to <paramref name="doc"/> and says what happened.</summary>
    /// <param name="doc">The state document (edited in place).</param>
    /// <param name="finalizationLost">The fault "finalization is lost": even an unlocked stage is not applied.</param>
    public static BootSummary Apply(JsonObject doc, bool finalizationLost) =>
        Apply(doc, BootFaults.None with { FinalizationLost = finalizationLost });

    /// <summary>Applies one reboot to <paramref name="doc"/> under <paramref name="faults"/> and says what happened.</summary>
    public static BootSummary Apply(JsonObject doc, BootFaults faults)
    {
        ArgumentNullException.ThrowIfNull(doc);
        ArgumentNullException.ThrowIfNull(faults);
        var sim = doc[SimKey] as JsonObject ?? [];
        doc[SimKey] = sim;
        var lost = faults.FinalizationLost || (sim["finalization-lost"]?.GetValue<bool>() ?? false);
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

        // Only the finalization writes the deployment list at shutdown; without it the list stays as it was.
        var kept = stagedOutcome == "applied" ? Keep(deployments) : deployments;
        var bootIndex = FallbackIndex(kept, faults);
        sim[FallbackKey] = bootIndex == 0 ? null : new JsonObject
        {
            ["digest"] = Digest(kept[0]),
            ["rollback"] = faults.FallbackRollback,
        };
        var newDeployments = new JsonArray();
        for (var i = 0; i < kept.Count; i++)
        {
            kept[i]["booted"] = i == bootIndex;
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
        var booted = kept.Count > 0 ? kept[bootIndex] : null;
        return new BootSummary(
            stagedOutcome,
            booted?["checksum"]?.GetValue<string>(),
            booted?["container-image-reference-digest"]?.GetValue<string>(),
            bootCount,
            bootId);
    }

    /// <summary>Which deployment the bootloader starts: the default (0), or under <c>host-fallback</c> for its digest the
    /// next one, as greenboot's GRUB script does once boot_counter ran out (<c>set default=1</c>).</summary>
    private static int FallbackIndex(List<JsonObject> deployments, BootFaults faults) =>
        deployments.Count > 1 && Digest(deployments[0]) is { } digest && faults.FallbackDigests.Contains(digest) ? 1 : 0;

    private static string? Digest(JsonObject d) => d["container-image-reference-digest"]?.GetValue<string>();

    private static bool Flag(JsonObject d, string key) => d[key]?.GetValue<bool>() ?? false;

    private static bool IsLocked(JsonObject sim, JsonObject staged) =>
        sim["staged-locked"] is JsonValue remembered ? remembered.GetValue<bool>() : Flag(staged, "finalization-locked");

    /// <summary>Finalizing a stage writes the new deployment, the booted one (also the merge source) and pinned ones, and
    /// prunes the rest (ostree-sysroot-deploy.c, ostree_sysroot_simple_write_deployment without RETAIN flags).</summary>
    private static List<JsonObject> Keep(List<JsonObject> deployments) =>
        deployments.Where((d, i) => i == 0 || Flag(d, "booted") || Flag(d, "pinned")).ToList();
}
