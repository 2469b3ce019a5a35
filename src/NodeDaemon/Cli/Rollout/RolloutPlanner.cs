using System.Globalization;
using NodeDaemon.Core.Agent;
using NodeDaemon.Core.Maintenance;

namespace NodeDaemon.Cli.Rollout;

/// <summary>The pure rules of <c>rollout start</c> and <c>undo</c>: the image checked as the daemon checks it, and what each node gets.</summary>
internal static class RolloutPlanner
{
    /// <summary>The plan to point <paramref name="nodes"/> at <paramref name="image"/>; null with the daemon's own refusal when it would refuse the image.</summary>
    /// <remarks>The check is <see cref="DesiredTarget.TryCreate"/>, the very function the daemon's Decider applies to the
    /// annotation (digest required unless allowTags, allowedImages, the reference grammar): a reference start accepts is one
    /// no node will refuse for its form.</remarks>
    public static RolloutPlan? Plan(IReadOnlyList<RolloutNode> nodes, string image, RolloutSettings settings, DateTimeOffset now, out string error)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(settings);
        if (DesiredTarget.TryCreate(image, settings.Options, out error) is null)
        {
            return null;
        }

        var digest = Kubernetes.Fleet.PoolNode.DigestOf(image);
        var planned = nodes.OrderBy(n => n.Pool, StringComparer.Ordinal).ThenBy(n => n.Name, StringComparer.Ordinal)
            .Select(n => new PlannedNode(n.Name, n.Pool, Action(n, image, digest), PreviousOf(n), n.ResourceVersion))
            .ToList();
        var slots = nodes.GroupBy(n => n.Pool, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => settings.Options.Fleet.SlotsFor(g.Count()), StringComparer.Ordinal);
        return new RolloutPlan(image, digest, planned, slots, Window(settings, now));
    }

    /// <summary>The annotations <c>start</c> writes on a node it annotates: the image, the previous one (for <c>undo</c>) and the time.</summary>
    public static Dictionary<string, string?> StartAnnotations(PlannedNode node, string image, RolloutSettings settings, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(settings);
        return new(StringComparer.Ordinal)
        {
            [settings.Keys.DesiredImage] = image,
            [settings.PreviousImage] = node.PreviousImage,
            [settings.StartedAt] = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        };
    }

    /// <summary>The annotations <c>undo</c> writes: the recorded image back (none when there was none), the record removed; null when <c>start</c> recorded nothing.</summary>
    public static Dictionary<string, string?>? UndoAnnotations(RolloutNode node, RolloutSettings settings)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(settings);
        if (node.PreviousImage is not { } previous)
        {
            return null;
        }

        return new(StringComparer.Ordinal)
        {
            [settings.Keys.DesiredImage] = previous.Length == 0 ? null : previous,
            [settings.PreviousImage] = null,
            [settings.StartedAt] = null,
        };
    }

    /// <summary>What <c>undo</c> restores: the desired image before <c>start</c>, else the image the node reported booted
    /// (a node that never had a desired image would otherwise stay on the new one).</summary>
    public static string PreviousOf(RolloutNode node) =>
        node is null ? throw new ArgumentNullException(nameof(node)) : node.DesiredImage.Length > 0 ? node.DesiredImage : node.CurrentImage;

    private static PlannedAction Action(RolloutNode node, string image, string? digest)
    {
        var there = node.DesiredImage == image && RolloutViewBuilder.IsDone(node)
            || (digest is not null && node.CurrentDigest == digest && node.DesiredDigest == digest && node.State == Kubernetes.Fleet.SlotRules.Done);
        return there ? PlannedAction.AlreadyThere : node.Paused ? PlannedAction.AnnotatePaused : PlannedAction.Annotate;
    }

    private static string Window(RolloutSettings settings, DateTimeOffset now)
    {
        var schedule = MaintenanceSchedule.From(settings.Options.Maintenance);
        if (schedule.IsAlwaysOpen)
        {
            return "none configured: nodes may reboot at any time";
        }

        return schedule.IsOpen(now) ? "open now"
            : schedule.NextOpening(now) is { } opening ? $"closed; {OpeningText.Describe(opening, settings.Options.Maintenance.TimeZone, now)}"
            : "closed";
    }
}
