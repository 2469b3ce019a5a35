using System.Globalization;
using System.Text;

namespace NodeDaemon.Cli.Rollout;

/// <summary>The text form of <see cref="RolloutView"/>: one block per pool, ASCII only (so a log or a pipe reads it as a terminal does).</summary>
internal static class RolloutRenderer
{
    private const int BarWidth = 24;

    /// <summary>The lines of <paramref name="view"/>.</summary>
    public static IReadOnlyList<string> Lines(RolloutView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var lines = new List<string>();
        if (view.Pools.Count == 0)
        {
            lines.Add($"no nodes carry the pool label {view.PoolLabel}");
        }

        foreach (var pool in view.Pools)
        {
            var percent = pool.Nodes == 0 ? 100 : pool.Done * 100 / pool.Nodes;
            var filled = pool.Nodes == 0 ? BarWidth : pool.Done * BarWidth / pool.Nodes;
            var eta = pool.EtaSeconds is { } seconds && pool.Outcome == RolloutOutcome.Progressing ? $"  ETA {Duration(seconds)}" : "";
            lines.Add(Invariant($"pool {view.PoolLabel}={pool.Pool}: {pool.Done}/{pool.Nodes} Done [{new string('#', filled)}{new string('-', BarWidth - filled)}] {percent}%{eta}  {Word(pool.Outcome)}"));
            foreach (var target in pool.Targets)
            {
                lines.Add(Invariant($"  target: {target.Image} ({target.Nodes} node{(target.Nodes == 1 ? "" : "s")})"));
            }

            lines.Add("  " + string.Join("  ", pool.Counts.Select(c => Invariant($"{c.Key} {c.Value}"))));
            lines.Add(pool.SlotHolders.Count == 0
                ? "  slots: none held"
                : "  slots: " + string.Join("; ", pool.SlotHolders.Select(h =>
                    $"{h.Node} {(h.Phase.Length > 0 ? h.Phase : "?")}{(h.HeldSeconds is { } held ? $" for {Duration(held)}" : "")}")));
            if (pool.Halt is { } halt)
            {
                lines.Add(Invariant($"  HALTED on {halt.Digest}: {halt.Failed.Count} node{(halt.Failed.Count == 1 ? "" : "s")} Degraded"));
                lines.AddRange(halt.Failed.Select(f => $"    {f.Node}: {f.Reason}"));
                var stopped = pool.NodeProgress.Where(n => n.Note == RolloutViewBuilder.HaltedNote).Select(n => n.Node).ToList();
                if (stopped.Count > 0)
                {
                    lines.Add($"  waiting on the halt, not on a slot (none is given out for this image): {string.Join(", ", stopped)}");
                }
            }
            else if (pool.Degraded.Count > 0)
            {
                lines.Add("  degraded:");
                lines.AddRange(pool.Degraded.Select(f => $"    {f.Node}: {f.Reason}"));
            }

            foreach (var rejected in pool.RejectedImages)
            {
                lines.Add($"  rejected image: {rejected.Image} (on {string.Join(", ", rejected.Nodes)})");
            }
        }

        return lines;
    }

    /// <summary>The whole text, one line per line.</summary>
    public static string Text(RolloutView view)
    {
        var text = new StringBuilder();
        foreach (var line in Lines(view))
        {
            text.Append(line).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>A duration as people read it: <c>45s</c>, <c>3m02s</c>, <c>1h05m</c>.</summary>
    public static string Duration(double seconds)
    {
        var s = (long)Math.Round(Math.Max(0, seconds));
        return s < 60 ? Invariant($"{s}s")
            : s < 3600 ? Invariant($"{s / 60}m{s % 60:00}s")
            : Invariant($"{s / 3600}h{s % 3600 / 60:00}m");
    }

    private static string Word(RolloutOutcome outcome) => outcome switch
    {
        RolloutOutcome.Converged => "converged",
        RolloutOutcome.Failed => "FAILED",
        _ => "in progress",
    };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
