using System.Text.Json.Nodes;
using NodeDaemon.Kubernetes.Fleet;

namespace NodeDaemon.Cli.Rollout;

/// <summary>The pure rules of <c>rollout status</c>: from the listed Nodes and slot Leases and the time to a <see cref="RolloutView"/>.</summary>
internal static class RolloutViewBuilder
{
    /// <summary>The view of every pool among <paramref name="nodes"/> (only <paramref name="pool"/> when given).</summary>
    public static RolloutView Build(IReadOnlyList<JsonObject> nodes, IReadOnlyList<JsonObject> leases, RolloutSettings settings, DateTimeOffset now,
        string? pool = null)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(settings);
        var read = nodes.Where(n => n["metadata"]?["labels"] is JsonObject labels && labels.ContainsKey(settings.PoolLabel))
            .Select(n => RolloutNode.Read(n, settings))
            .Where(n => pool is null || n.Pool == pool)
            .ToList();
        var leaseList = new JsonObject { ["items"] = new JsonArray([.. leases.Select(l => (JsonNode)l.DeepClone())]) };
        var pools = read.GroupBy(n => n.Pool, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => Pool(g.Key, [.. g.OrderBy(n => n.Name, StringComparer.Ordinal)], SlotLease.ReadList(leaseList, g.Key, settings.SlotKeys), settings, now))
            .ToList();
        return new RolloutView(settings.PoolLabel, now, pools);
    }

    /// <summary>The note of a node that waits on its pool's halt.</summary>
    public const string HaltedNote = "waits on the halt: no slot is given out for this image while it lasts";

    /// <summary>The bucket of one node.</summary>
    public static NodeProgress Progress(RolloutNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (node.State == SlotRules.Degraded)
        {
            return NodeProgress.Degraded;
        }

        if (IsDone(node))
        {
            return NodeProgress.Done;
        }

        if (node.Paused)
        {
            return NodeProgress.Paused;
        }

        return node.Phase switch
        {
            "Staging" => NodeProgress.Staging,
            "Draining" => NodeProgress.Draining,
            "Rebooting" => NodeProgress.Rebooting,
            "Verifying" => NodeProgress.Verifying,
            // Idle (not started yet), Staged (waiting for its window), WaitingForSlot, or a phase this CLI does not know.
            _ => NodeProgress.Waiting,
        };
    }

    /// <summary>Done and, when the desired image pins a digest, booted on that digest (a node just annotated still says Done about its old image).</summary>
    public static bool IsDone(RolloutNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return node.State == SlotRules.Done && (node.DesiredImage.Length == 0 || node.DesiredDigest is null || node.DesiredDigest == node.CurrentDigest);
    }

    private static PoolView Pool(string pool, List<RolloutNode> nodes, List<SlotLease> leases, RolloutSettings settings, DateTimeOffset now)
    {
        var lines = nodes.Select(n => new NodeLine(n.Name, Progress(n), n.Phase, n.Message)).ToList();
        var counts = Enum.GetValues<NodeProgress>().ToDictionary(p => p.ToString(), p => lines.Count(l => l.Progress == p), StringComparer.Ordinal);
        var byName = nodes.ToDictionary(n => n.Name, StringComparer.Ordinal);
        var holders = leases.Where(l => l.IsHeld)
            .Select(l => new SlotHolderView(l.Holder, l.Name, byName.TryGetValue(l.Holder, out var h) ? h.Phase : "",
                l.AcquiredAt is { } at ? Math.Max(0, (now - at).TotalSeconds) : null))
            .ToList();
        var degraded = nodes.Where(n => n.State == SlotRules.Degraded).Select(n => new FailedNodeView(n.Name, FirstLine(n.Reason))).ToList();
        var halt = Halt(nodes, settings.Options.Fleet.HaltAfterFailures);
        if (halt is not null)
        {
            // A node waiting for the halted digest waits on the halt: no slot is handed or given to it (SlotRules.Successor),
            // though its message may still be the "all slots are held" of its last ask.
            var stopped = nodes.Where(n => n.DesiredDigest == halt.Digest).Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
            lines = [.. lines.Select(l => l.Progress == NodeProgress.Waiting && stopped.Contains(l.Node) ? l with { Note = HaltedNote } : l)];
        }

        var rejected = nodes.Where(n => n.RejectedImage.Length > 0)
            .GroupBy(n => n.RejectedImage, StringComparer.Ordinal)
            .Select(g => new RejectedImageView(g.Key, [.. g.Select(n => n.Name)]))
            .OrderBy(r => r.Image, StringComparer.Ordinal)
            .ToList();
        var targets = nodes.Where(n => n.DesiredImage.Length > 0)
            .GroupBy(n => n.DesiredImage, StringComparer.Ordinal)
            .Select(g => new TargetView(g.Key, g.Count()))
            .OrderByDescending(t => t.Nodes).ThenBy(t => t.Image, StringComparer.Ordinal)
            .ToList();
        var inMotion = lines.Count(l => l.Progress is not (NodeProgress.Done or NodeProgress.Degraded or NodeProgress.Paused));
        var outcome = lines.All(l => l.Progress == NodeProgress.Done) ? RolloutOutcome.Converged
            : halt is not null || (inMotion == 0 && degraded.Count > 0) ? RolloutOutcome.Failed
            : RolloutOutcome.Progressing;
        return new PoolView(pool, nodes.Count, targets, counts, holders, halt, degraded, rejected, EtaSeconds(nodes, leases, settings, now), outcome, lines);
    }

    /// <summary>The halt, by the daemons' own rule (<see cref="SlotRules.DegradedOn"/>): at least <paramref name="haltAfter"/> nodes Degraded on a desired digest that other nodes still want.</summary>
    private static HaltView? Halt(List<RolloutNode> nodes, int haltAfter)
    {
        var pool = nodes.Select(n => n.AsPoolNode()).ToList();
        // A halt stops the nodes that still want its digest; when no node is left wanting one, the Degraded nodes' own digests.
        var wanting = nodes.Where(n => !IsDone(n) && n.State != Kubernetes.Fleet.SlotRules.Degraded && n.DesiredDigest is not null).ToList();
        var digests = (wanting.Count > 0 ? wanting : nodes.Where(n => n.State == Kubernetes.Fleet.SlotRules.Degraded && n.DesiredDigest is not null))
            .Select(n => n.DesiredDigest!).Distinct().Order(StringComparer.Ordinal);
        foreach (var digest in digests)
        {
            // The self name is one no node has: every Degraded node counts, as for any node of the pool that asks.
            var failed = SlotRules.DegradedOn(pool, digest, "");
            if (failed.Count >= haltAfter && failed.Count > 0)
            {
                var reasons = nodes.ToDictionary(n => n.Name, n => FirstLine(n.Reason), StringComparer.Ordinal);
                return new HaltView(digest, [.. failed.Select(name => new FailedNodeView(name, reasons[name]))]);
            }
        }

        return null;
    }

    /// <summary>
    /// The time left, from the slot holds observed in this rollout (<see cref="RolloutEta"/>): the holds each slot Lease
    /// keeps (<see cref="SlotHold"/>) on a digest the pool's nodes want, since <c>rollout start</c> annotated the first
    /// node (when it did), and the current holders' time so far. Null until one hold finished; 0 when nothing is left.
    /// </summary>
    private static double? EtaSeconds(List<RolloutNode> nodes, List<SlotLease> leases, RolloutSettings settings, DateTimeOffset now)
    {
        var digests = nodes.Select(n => n.DesiredDigest).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var since = nodes.Select(n => n.StartedAt).OfType<DateTimeOffset>().DefaultIfEmpty(DateTimeOffset.MinValue).Min();
        var observed = leases.SelectMany(l => l.Holds).Where(h => digests.Contains(h.Digest) && h.Acquired >= since).Select(h => h.Duration).ToList();
        bool ToGo(RolloutNode n) => Progress(n) is not (NodeProgress.Done or NodeProgress.Degraded or NodeProgress.Paused);
        var byName = nodes.ToDictionary(n => n.Name, StringComparer.Ordinal);
        var holding = leases.Where(l => l.IsHeld && byName.TryGetValue(l.Holder, out var holder) && ToGo(holder)).ToList();
        var inFlight = holding.Select(l => l.AcquiredAt is { } at && now > at ? now - at : TimeSpan.Zero).ToList();
        var holders = holding.Select(l => l.Holder).ToHashSet(StringComparer.Ordinal);
        var waiting = nodes.Count(n => ToGo(n) && !holders.Contains(n.Name));
        // The count the daemons wrote on their Leases (their own list of the pool); this CLI's reading of maxUnavailable otherwise.
        var slots = leases.Max(l => l.Slots) ?? settings.Options.Fleet.SlotsFor(nodes.Count);
        return RolloutEta.Estimate(waiting, slots, observed, inFlight)?.TotalSeconds;
    }

    private static string FirstLine(string text)
    {
        var end = text.IndexOf('\n', StringComparison.Ordinal);
        return end < 0 ? text : text[..end];
    }
}
