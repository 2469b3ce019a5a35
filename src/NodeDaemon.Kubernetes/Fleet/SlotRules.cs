namespace NodeDaemon.Kubernetes.Fleet;

/// <summary>The pure rules of the slots: the halt, when a held slot may be taken over, and what one pass should try.</summary>
internal static class SlotRules
{
    /// <summary>The state a node reports when it converged.</summary>
    public const string Done = "Done";

    /// <summary>The state a node reports when it gave up.</summary>
    public const string Degraded = "Degraded";

    /// <summary>The other nodes of the pool Degraded on <paramref name="digest"/>, sorted by name.</summary>
    /// <remarks>The asking node itself does not count: after an admin's retry it asks again while its own state still says Degraded.</remarks>
    public static IReadOnlyList<string> DegradedOn(IEnumerable<PoolNode> pool, string digest, string self) =>
    [
        .. pool.Where(n => n.Name != self && n.State == Degraded && n.DesiredDigest == digest)
            .Select(n => n.Name)
            .Order(StringComparer.Ordinal),
    ];

    /// <summary>
    /// Why the held <paramref name="lease"/> may be taken over, or null when it may not: only when its holder's node is
    /// gone (<paramref name="holder"/> null: GET answered 404), or reports Done with the Lease's digest booted, and does not
    /// already want another image (a holder moving on renews its slot with the new digest, so a stale one means it crashed
    /// right after finishing). Never because its renewTime is old: a rebooting holder keeps its slot.
    /// </summary>
    public static string? TakeoverReason(SlotLease lease, PoolNode? holder)
    {
        if (holder is null)
        {
            return $"node {lease.Holder} no longer exists";
        }

        if (lease.Digest is { } digest && holder.State == Done && holder.CurrentDigest == digest
            && (holder.DesiredDigest is null || holder.DesiredDigest == digest))
        {
            return $"node {lease.Holder} finished {digest} without giving the slot back";
        }

        return null;
    }

    /// <summary>
    /// What one pass may try, in order: free slots (missing or without holder) first, then slots whose holder may be
    /// taken over; empty when the pool is full. A held slot that may not be taken over counts against
    /// <paramref name="slots"/> whatever its index, so a pool whose slot count shrank waits until enough are given back.
    /// </summary>
    /// <param name="pool">The pool value.</param>
    /// <param name="slots">The pool's slots now.</param>
    /// <param name="leases">The pool's slot Leases, none of them held by the asking node.</param>
    /// <param name="takeovers">Why each takeable Lease (by name) may be taken over.</param>
    public static IReadOnlyList<SlotCandidate> Candidates(string pool, int slots, IReadOnlyList<SlotLease> leases, IReadOnlyDictionary<string, string> takeovers)
    {
        var occupied = leases.Count(l => l.IsHeld && !takeovers.ContainsKey(l.Name));
        if (occupied >= slots)
        {
            return [];
        }

        var byIndex = leases.ToDictionary(l => l.Index);
        var free = new List<SlotCandidate>();
        var taken = new List<SlotCandidate>();
        for (var i = 0; i < slots; i++)
        {
            if (!byIndex.TryGetValue(i, out var lease))
            {
                free.Add(new SlotCandidate(SlotLeaseNames.For(pool, i), null, null));
            }
            else if (!lease.IsHeld)
            {
                free.Add(new SlotCandidate(lease.Name, lease, null));
            }
            else if (takeovers.TryGetValue(lease.Name, out var reason))
            {
                taken.Add(new SlotCandidate(lease.Name, lease, reason));
            }
        }

        return [.. free, .. taken];
    }
}
