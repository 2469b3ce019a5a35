using NodeDaemon.Core.Fleet;

namespace NodeDaemon.Kubernetes.Fleet;

/// <summary>The pure rules of the slots: the halt, when a held slot may be taken over, and what one pass should try.</summary>
internal static class SlotRules
{
    /// <summary>The state a node reports when it converged.</summary>
    public const string Done = "Done";

    /// <summary>The state a node reports when it gave up.</summary>
    public const string Degraded = "Degraded";

    /// <summary>The phase a node reports while it waits for a slot.</summary>
    public const string WaitingForSlot = "WaitingForSlot";

    /// <summary>The other nodes of the pool Degraded on <paramref name="digest"/>, sorted by name.</summary>
    /// <remarks>The asking node itself does not count: after an admin's retry it asks again while its own state still says Degraded.</remarks>
    public static IReadOnlyList<string> DegradedOn(IEnumerable<PoolNode> pool, string digest, string self) =>
    [
        .. pool.Where(n => n.Name != self && n.State == Degraded && n.DesiredDigest == digest)
            .Select(n => n.Name)
            .Order(StringComparer.Ordinal),
    ];

    /// <summary>
    /// The halt, the one rule every grant of a slot obeys (a take, a hand-over, its take-up, and the check after each):
    /// the Halted answer when at least <paramref name="haltAfterFailures"/> nodes of <paramref name="pool"/> other than
    /// <paramref name="self"/> are Degraded on <paramref name="digest"/>; null when the pool goes on.
    /// </summary>
    public static SlotAnswer.Halted? Halt(IEnumerable<PoolNode> pool, string digest, string self, int haltAfterFailures)
    {
        var degraded = DegradedOn(pool, digest, self);
        return degraded.Count < haltAfterFailures ? null : new SlotAnswer.Halted(degraded, digest);
    }

    /// <summary>
    /// Why the held <paramref name="lease"/> may be taken over, or null when it may not: only when its holder's node is
    /// gone (<paramref name="holder"/> null: GET answered 404), or reports Done with the Lease's digest booted, and does not
    /// already want another image (a holder moving on renews its slot with the new digest, so a stale one means it crashed
    /// right after finishing). Never because its renewTime is old: a rebooting holder keeps its slot. A slot handed to a
    /// node that has not taken it up within <paramref name="handOverTimeout"/> is the one exception with a clock: that
    /// node has not begun (it writes the Lease before it cordons, which would make the takeover's write fail).
    /// </summary>
    public static string? TakeoverReason(SlotLease lease, PoolNode? holder, DateTimeOffset now, TimeSpan handOverTimeout)
    {
        if (holder is null)
        {
            return $"node {lease.Holder} no longer exists";
        }

        if (lease.HandedOverBy is { } by && lease.AcquiredAt is { } at && now - at >= handOverTimeout)
        {
            return $"{by} handed it to {lease.Holder} at {at:u}, not taken up within {handOverTimeout.TotalSeconds:0} s";
        }

        if (lease.Digest is { } digest && holder.State == Done && holder.CurrentDigest == digest
            && (holder.DesiredDigest is null || holder.DesiredDigest == digest))
        {
            return $"node {lease.Holder} finished {digest} without giving the slot back";
        }

        return null;
    }

    /// <summary>
    /// Whether a held Lease's holder may be one to take over, so the pool's nodes are worth reading: its last write is
    /// older than <paramref name="leaseDuration"/>. A holder at work writes at its take, at its take-up and after its
    /// reboot, so this is a hint to look, never a reason to take over (see <see cref="TakeoverReason"/>).
    /// </summary>
    public static bool Suspect(SlotLease lease, DateTimeOffset now, TimeSpan leaseDuration) =>
        lease.IsHeld && (lease.RenewedAt is not { } at || now - at >= leaseDuration);

    /// <summary>
    /// The node to hand <paramref name="giving"/> to when its holder is done: one of the pool waiting for a slot (phase
    /// <c>WaitingForSlot</c>, not Degraded, naming a desired digest its pool is not halted on), or null when none is.
    /// The waiters are taken in name order and each slot index picks at its own place in it, so holders finishing at
    /// once hand to different nodes; should two still pick the same one, it takes up one slot and passes the other on.
    /// </summary>
    public static PoolNode? Successor(IReadOnlyCollection<PoolNode> pool, SlotLease giving, int haltAfterFailures)
    {
        var waiting = pool.Where(n => n.Phase == WaitingForSlot && n.State != Degraded && n.DesiredDigest is not null && n.Name != giving.Holder)
            .Where(n => Halt(pool, n.DesiredDigest!, n.Name, haltAfterFailures) is null)
            .OrderBy(n => n.Name, StringComparer.Ordinal)
            .ToList();
        return waiting.Count == 0 ? null : waiting[giving.Index % waiting.Count];
    }

    /// <summary>
    /// The candidate <paramref name="node"/> tries: among the free slots one chosen by a hash of its name and
    /// <paramref name="salt"/> (so nodes asking at once spread over them, and a node that lost to another is not paired
    /// with it again at the next list), else the first slot that may be taken over.
    /// </summary>
    public static SlotCandidate Pick(IReadOnlyList<SlotCandidate> candidates, string node, string salt)
    {
        var free = candidates.Count(c => c.TakeoverReason is null);
        if (free == 0)
        {
            return candidates[0];
        }

        // FNV-1a: string.GetHashCode differs from process to process, and a node should pick the same way every time.
        var hash = 2166136261u;
        foreach (var c in node + "/" + salt)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return candidates[(int)(hash % (uint)free)];
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
