namespace NodeDaemon.Cli.Rollout;

/// <summary>The ETA of a pool's rollout from the slot holds observed in it: a pure function, table-tested.</summary>
/// <remarks>
/// The slots bound a rollout: at most <c>slots</c> nodes are between cordon and uncordon at once, and staging runs
/// before a node takes a slot. So the time left is the time the slots need: each node still to go holds a slot for the
/// typical hold of this rollout (the median of those observed, which one slow node does not drag), each in-flight node
/// for what is left of that, and a node waits for the first slot to come free.
/// </remarks>
internal static class RolloutEta
{
    /// <summary>The time until the last of the nodes finishes; null before any hold was observed (no pace to go by).</summary>
    /// <param name="waiting">Nodes that still need a slot (not Done, Degraded, paused or holding one).</param>
    /// <param name="slots">The pool's slot count.</param>
    /// <param name="observed">How long each node that finished in this rollout held its slot.</param>
    /// <param name="inFlight">How long each current holder has held its slot so far.</param>
    public static TimeSpan? Estimate(int waiting, int slots, IReadOnlyList<TimeSpan> observed, IReadOnlyList<TimeSpan> inFlight)
    {
        ArgumentNullException.ThrowIfNull(observed);
        ArgumentNullException.ThrowIfNull(inFlight);
        ArgumentOutOfRangeException.ThrowIfNegative(waiting);
        if (waiting == 0 && inFlight.Count == 0)
        {
            return TimeSpan.Zero;
        }

        if (observed.Count == 0)
        {
            return null;
        }

        var typical = Median(observed);
        // When each slot comes free: a holder past the typical hold is taken to be about to finish.
        var free = new PriorityQueue<TimeSpan, TimeSpan>();
        foreach (var elapsed in inFlight)
        {
            var left = typical - elapsed;
            free.Enqueue(left > TimeSpan.Zero ? left : TimeSpan.Zero, left > TimeSpan.Zero ? left : TimeSpan.Zero);
        }

        for (var i = inFlight.Count; i < Math.Max(slots, 1); i++)
        {
            free.Enqueue(TimeSpan.Zero, TimeSpan.Zero);
        }

        var end = TimeSpan.Zero;
        foreach (var at in free.UnorderedItems)
        {
            end = at.Element > end ? at.Element : end;
        }

        for (var i = 0; i < waiting; i++)
        {
            var next = free.Dequeue() + typical;
            free.Enqueue(next, next);
            end = next > end ? next : end;
        }

        return end;
    }

    private static TimeSpan Median(IReadOnlyList<TimeSpan> values)
    {
        var sorted = values.Order().ToList();
        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
