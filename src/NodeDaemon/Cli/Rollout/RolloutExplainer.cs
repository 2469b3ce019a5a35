using System.Text.Json.Nodes;
using NodeDaemon.Core.Agent;
using NodeDaemon.Core.Maintenance;
using NodeDaemon.Kubernetes.Fleet;

namespace NodeDaemon.Cli.Rollout;

/// <summary>The pure rules of <c>rollout explain NODE</c>: why a node is not updating, from the Nodes and slot Leases alone.</summary>
/// <remarks>Each answer reuses the daemon's own rule where one exists: the image check (<see cref="DesiredTarget.TryCreate"/>),
/// the halt (<see cref="SlotRules.DegradedOn"/>), the windows (<see cref="MaintenanceSchedule"/>), the slot Leases (<see cref="SlotLease"/>).</remarks>
internal static class RolloutExplainer
{
    /// <summary>The lines that explain <paramref name="name"/>, most decisive first.</summary>
    public static IReadOnlyList<string> Explain(string name, IReadOnlyList<JsonObject> nodes, IReadOnlyList<JsonObject> leases, RolloutSettings settings,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(leases);
        ArgumentNullException.ThrowIfNull(settings);
        var raw = nodes.FirstOrDefault(n => NodeText(n) == name);
        if (raw is null)
        {
            return [$"node {name} not found"];
        }

        var node = RolloutNode.Read(raw, settings);
        var lines = new List<string>();
        var inPool = raw["metadata"]?["labels"] is JsonObject labels && labels.ContainsKey(settings.PoolLabel);
        if (settings.Options.Fleet.Enabled && !inPool)
        {
            lines.Add($"not in a pool: the label {settings.PoolLabel} is missing, and fleet coordination needs it");
        }

        if (node.DesiredImage.Length == 0)
        {
            lines.Add($"nothing to do: no {settings.Keys.DesiredImage} annotation");
            return lines;
        }

        if (DesiredTarget.TryCreate(node.DesiredImage, settings.Options, out var refusal) is null)
        {
            lines.Add($"the daemon refuses the desired image: {refusal}");
        }

        if (RolloutViewBuilder.IsDone(node))
        {
            lines.Add($"up to date: booted {node.CurrentImage}");
            return lines;
        }

        if (node.State == SlotRules.Degraded)
        {
            lines.Add($"Degraded: {node.Reason}");
        }

        if (node.RejectedImage.Length > 0 && PoolNode.DigestOf(node.RejectedImage) is { } rejected && rejected == node.DesiredDigest)
        {
            lines.Add($"the image was rejected: the health gate failed on it here and the node rolled back ({node.RejectedImage})");
        }

        if (node.Paused)
        {
            lines.Add($"paused: {settings.Keys.Paused} is true; rollout resume --pool {node.Pool} lets it go on");
        }

        var pool = nodes.Select(n => RolloutNode.Read(n, settings)).Where(n => inPool && n.Pool == node.Pool).Select(n => n.AsPoolNode()).ToList();
        var halted = false;
        if (node.DesiredDigest is { } digest && inPool && SlotRules.DegradedOn(pool, digest, node.Name) is { } failed
            && failed.Count >= settings.Options.Fleet.HaltAfterFailures && failed.Count > 0)
        {
            // The halt, not the slots, is what it waits on: a freed slot is handed to no node wanting this digest
            // (SlotRules.Successor), and a node asking is answered Halted, whatever its last message says.
            halted = true;
            lines.Add($"the pool is halted: {Join(failed)} Degraded on {digest}; no node gets a slot for that image while the halt lasts");
        }

        var schedule = MaintenanceSchedule.From(settings.Options.Maintenance);
        if (!schedule.IsAlwaysOpen && !schedule.IsOpen(now) && node.Phase is "Staged" or "Idle" or "Staging" or "WaitingForSlot")
        {
            lines.Add("outside its maintenance window" + (schedule.NextOpening(now) is { } opening
                ? $" (it {OpeningText.Describe(opening, settings.Options.Maintenance.TimeZone, now)})" : ""));
        }

        if (node.Phase == SlotRules.WaitingForSlot && inPool && !halted)
        {
            var list = new JsonObject { ["items"] = new JsonArray([.. leases.Select(l => (JsonNode)l.DeepClone())]) };
            var holders = SlotLease.ReadList(list, node.Pool, settings.SlotKeys).Where(l => l.IsHeld).Select(l => l.Holder).ToList();
            lines.Add(holders.Count == 0 ? "waiting for a slot (none is held now: it takes one at its next turn)" : $"waiting for a slot (held by {Join(holders)})");
        }

        if (node.Phase == "Draining" && (node.Message.Contains("PDB", StringComparison.Ordinal) || node.Message.Contains("disruption budget", StringComparison.OrdinalIgnoreCase)))
        {
            lines.Add($"blocked by a PodDisruptionBudget: {node.Message}");
        }

        if (lines.Count == 0)
        {
            lines.Add($"{(node.Phase.Length > 0 ? node.Phase : "not started")}: {(node.Message.Length > 0 ? node.Message : "the daemon has not reported yet")}");
        }

        return lines;
    }

    private static string NodeText(JsonObject node) => Kubernetes.Annotations.NodeReader.Text(node["metadata"]?["name"]);

    private static string Join(IReadOnlyList<string> names) =>
        names.Count <= 1 ? string.Concat(names) : string.Join(", ", names.Take(names.Count - 1)) + " and " + names[^1];
}
