using System.Globalization;
using Microsoft.Extensions.Logging;
using NodeDaemon.Core.Cluster;

namespace NodeDaemon.Kubernetes.Drain;

/// <summary>What one drain has done so far (the pods moved, gone and waited on, the budgets in the way, why it was
/// stopped), the progress line made from it, and the result of a drain that did not finish.</summary>
/// <remarks>The evictions run in parallel: every read and change of the tally holds its one lock.</remarks>
internal sealed partial class DrainTally(IProgress<DrainProgress>? progress, ILogger logger)
{
    private const string Terminating = "terminating";
    private readonly Lock _gate = new();
    private readonly Dictionary<string, string> _waiting = new(StringComparer.Ordinal);
    private readonly HashSet<string> _budgets = new(StringComparer.Ordinal);
    private readonly HashSet<string> _gone = new(StringComparer.Ordinal);
    private readonly HashSet<string> _moved = new(StringComparer.Ordinal);
    private int _total;
    private string? _stopMessage;

    /// <summary>The evictions begin, of <paramref name="total"/> pods; reported.</summary>
    public void Begin(int total)
    {
        lock (_gate)
        {
            _total = total;
        }

        Report();
    }

    /// <summary>Before the drain starts: the pods that match the blocking selector and still run are what it waits on.</summary>
    public void BlockedBySelector(IEnumerable<string> running, string selector)
    {
        lock (_gate)
        {
            _waiting.Clear();
            foreach (var pod in running)
            {
                _waiting[pod] = $"matches the blocking selector {selector}";
            }
        }
    }

    /// <summary><paramref name="pod"/> waits because of <paramref name="why"/> (under disruption budget <paramref name="budget"/>, when one).</summary>
    public void WaitingOn(string pod, string why, string? budget = null)
    {
        lock (_gate)
        {
            _waiting[pod] = why;
            if (budget is not null)
            {
                _budgets.Add(budget);
            }
        }

        Report();
    }

    /// <summary>A fatal answer stops the drain: the first one's message is the result's, with the budgets it names.</summary>
    public void Stopped(string message, IEnumerable<string> budgets)
    {
        lock (_gate)
        {
            _stopMessage ??= message;
            _budgets.UnionWith(budgets);
        }
    }

    /// <summary>The eviction of <paramref name="pod"/> was accepted: it is moved, and terminating until gone.</summary>
    public void Evicted(string pod)
    {
        lock (_gate)
        {
            _moved.Add(pod);
            _waiting[pod] = Terminating;
        }

        Report();
    }

    /// <summary><paramref name="pod"/> is gone; one found gone without an accepted eviction of ours still counts as moved.</summary>
    public void Gone(string pod)
    {
        lock (_gate)
        {
            _moved.Add(pod);
            _gone.Add(pod);
            _waiting.Remove(pod);
        }

        Report();
    }

    /// <summary>The result of a drain cut short by its timeout or a fatal answer: what moved, and what is still on the node
    /// (of <paramref name="toMove"/>, or, before the evictions began, the pods waited on).</summary>
    public DrainResult Unfinished(IReadOnlyList<DrainPod> toMove, TimeSpan timeout)
    {
        lock (_gate)
        {
            var left = toMove.Count > 0 ? [.. toMove.Select(p => p.Key).Where(k => !_gone.Contains(k))] : _waiting.Keys.ToList();
            if (_stopMessage is { } stopped)
            {
                return new DrainResult(DrainOutcome.Stopped, stopped, _moved.Count, _total, left, [.. _budgets]);
            }

            var message = $"no end after {timeout}: {_moved.Count}/{_total} pods evicted; still on the node: {string.Join(", ", left)}" +
                (_budgets.Count > 0 ? $"; blocked by {string.Join(", ", _budgets.Select(b => "PDB " + b))}" : "");
            return new DrainResult(DrainOutcome.TimedOut, message, _moved.Count, _total, left, [.. _budgets]);
        }
    }

    /// <summary>Reports <paramref name="line"/>, or the count and the pod waited on first (one still running before one terminating).</summary>
    public void Report(string? line = null)
    {
        DrainProgress now;
        lock (_gate)
        {
            var waiting = _waiting.OrderBy(w => w.Value == Terminating ? 1 : 0).ThenBy(w => w.Key, StringComparer.Ordinal).FirstOrDefault();
            var evicted = Math.Min(_moved.Count, _total);
            line ??= string.Create(CultureInfo.InvariantCulture, $"draining: {evicted}/{_total} pods evicted") +
                (waiting.Key is null ? "" : $", waiting on {waiting.Key} ({waiting.Value})");
            now = new DrainProgress(evicted, _total, waiting.Key, line);
        }

        LogProgress(now.Line);
        progress?.Report(now);
    }
}
