using System.Text.Json.Nodes;

namespace NodeDaemon.Sim.Scenarios;

/// <summary>The numbers a run shows: reaction, pulling and cordoned time, and whether a pull ever ran while cordoned by us.</summary>
/// <param name="ReactionMs">Desired image annotated → the rebase transaction started (null when the runner did not annotate).</param>
/// <param name="PullingMs">Time inside Rebase transactions.</param>
/// <param name="CordonedMs">Time the node was cordoned by us.</param>
/// <param name="PullingWhileCordoned">Some Rebase transaction overlapped a cordon of ours.</param>
/// <param name="DaemonRssMb">The daemon's resident memory at the end, idle: read <see cref="Harness.IdleSample.AfterReady"/> after its
/// last READY=1 at the earliest, once its start-up release has run.</param>
public sealed record ScenarioMeasurements(long? ReactionMs, long PullingMs, long CordonedMs, bool PullingWhileCordoned, double? DaemonRssMb)
{
    /// <summary>Derives them from what the run recorded.</summary>
    internal static ScenarioMeasurements From(RunState run, IReadOnlyList<TimelineEntry> timeline, IReadOnlyList<HostTransaction> transactions)
    {
        var end = Math.Max(timeline.Count == 0 ? 0 : timeline[^1].AtMs, transactions.Select(t => t.FinishedMs ?? t.StartedMs).DefaultIfEmpty(0).Max());
        var pulls = transactions.Where(t => t.Method == "Rebase").Select(t => (Start: t.StartedMs, End: t.FinishedMs ?? end)).ToList();
        var cordons = Cordons(timeline, end);
        var firstRebase = transactions.FirstOrDefault(t => t.Method == "Rebase");
        return new ScenarioMeasurements(
            run.DesiredSetAtMs is { } set && firstRebase is not null ? firstRebase.StartedMs - set : null,
            pulls.Sum(p => p.End - p.Start),
            cordons.Sum(c => c.End - c.Start),
            pulls.Any(p => cordons.Any(c => p.Start < c.End && c.Start < p.End)),
            run.DaemonRssMb);
    }

    /// <summary>The result document's <c>measurements</c>.</summary>
    public JsonObject ToJson() => new()
    {
        ["reactionMs"] = ReactionMs,
        ["pullingMs"] = PullingMs,
        ["cordonedMs"] = CordonedMs,
        ["pullingWhileCordoned"] = PullingWhileCordoned,
        ["daemonRssMb"] = DaemonRssMb,
    };

    private static List<(long Start, long End)> Cordons(IReadOnlyList<TimelineEntry> timeline, long end)
    {
        var windows = new List<(long, long)>();
        long? since = null;
        foreach (var entry in timeline)
        {
            var ours = entry.Unschedulable && entry.CordonedByUs;
            if (ours && since is null)
            {
                since = entry.AtMs;
            }
            else if (!ours && since is { } start)
            {
                windows.Add((start, entry.AtMs));
                since = null;
            }
        }

        if (since is { } open)
        {
            windows.Add((open, end));
        }

        return windows;
    }
}
