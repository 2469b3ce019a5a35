using NodeDaemon.Core.Agent;

namespace NodeDaemon.Kubernetes.Fleet;

/// <summary>What a staging slot request does with the pool's staging Leases it just listed: a pure choice, table-tested.</summary>
internal static class StagingPlanner
{
    /// <summary>
    /// Held: a Lease names <paramref name="node"/> (a restart mid-pull, or a repeated request), renew it. Full: at least
    /// <paramref name="slots"/> Leases are held and renewed within their duration. Else take one: a missing index below
    /// <paramref name="slots"/> (create) or a free or expired Lease there (a PUT on its version), chosen among them by
    /// <paramref name="spread"/> so that nodes asking at once do not all race for the first.
    /// </summary>
    /// <remarks>An expired Lease is one whose holder stopped renewing (crashed, killed, its node gone): taking it may let
    /// one pull too many run for as long as a holder that is alive but late keeps pulling, which costs bandwidth, never a
    /// workload. Held Leases at indices at or above <paramref name="slots"/> (the limit was lowered) still count.</remarks>
    public static StagingStep Choose(IReadOnlyList<StagingLease> leases, string node, int slots, DateTimeOffset now, int spread)
    {
        ArgumentNullException.ThrowIfNull(leases);
        if (leases.FirstOrDefault(l => l.Holder == node) is { } own)
        {
            return new StagingStep.Renew(own);
        }

        if (leases.Count(l => l.IsLive(now)) >= slots)
        {
            return new StagingStep.Full();
        }

        var byIndex = leases.ToDictionary(l => l.Index);
        var open = Enumerable.Range(0, Math.Min(slots, StagingLeaseNames.MaxSlots))
            .Where(i => !byIndex.TryGetValue(i, out var lease) || !lease.IsLive(now))
            .ToList();
        if (open.Count == 0)
        {
            return new StagingStep.Full();
        }

        var index = open[(int)((uint)spread % (uint)open.Count)];
        return byIndex.TryGetValue(index, out var existing)
            ? new StagingStep.Take(index, existing, existing.Holder.Length > 0 ? existing.Holder : null)
            : new StagingStep.Take(index, null, null);
    }

    /// <summary>
    /// The node a holder done pulling hands <paramref name="giving"/> to, or null to free it: a node of the pool that
    /// still has to pull (its desired digest is not its current one, it is not Degraded, and it reports no phase past
    /// <c>Staging</c>), that no staging Lease names as its holder, and that none names as the node that last gave it back
    /// (<see cref="StagingLease.GivenBackBy"/>). Taken in name order, among the first <paramref name="slots"/>
    /// of them by the slot's index, so holders finishing together (reading the same pool) hand to different nodes, and
    /// the pool stages in the order the disruption slots go round (<see cref="SlotRules.Successor"/>: name order).
    /// </summary>
    /// <remarks>
    /// A node gives its slot back in a step of its own and reports <c>Staged</c> only with its next step, so for a moment
    /// the pool shows it in <c>Staging</c>, like a node waiting to pull. Chosen, it would never take the slot up, which
    /// would stall for the hand-over's duration (<see cref="LeaseStagingSlotClientOptions.HandOverDuration"/>); the Lease it
    /// gave back names it, so it is skipped. Its name stays there until that Lease is given back again, one pull later:
    /// a node whose desired image changes within that time asks on its own recheck instead of being handed a slot.
    /// </remarks>
    public static PoolNode? Successor(IReadOnlyCollection<PoolNode> pool, IReadOnlyList<StagingLease> leases, StagingLease giving, int slots)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(leases);
        ArgumentNullException.ThrowIfNull(giving);
        var named = leases.SelectMany(l => new[] { l.Holder, l.GivenBackBy }).Where(h => h.Length > 0).ToHashSet(StringComparer.Ordinal);
        var waiting = pool
            .Where(n => n.Name != giving.Holder && !named.Contains(n.Name) && NeedsPull(n))
            .OrderBy(n => n.Name, StringComparer.Ordinal)
            .Take(Math.Max(1, slots))
            .ToList();
        return waiting.Count == 0 ? null : waiting[giving.Index % waiting.Count];
    }

    /// <summary>
    /// The open staging slots a releaser hands on besides its own (free, or expired: the holder stopped renewing), in index
    /// order, at most as many as leave the live count at <paramref name="slots"/>: never one that would let more than the
    /// limit pull. None at or above <paramref name="slots"/> (the limit was lowered), none naming <paramref name="node"/>.
    /// </summary>
    /// <remarks>Each is handed by a PUT on its listed version, as a take: whoever wrote it since (a node that took it on
    /// its recheck) wins, and the releaser stops.</remarks>
    public static IReadOnlyList<StagingLease> Open(IReadOnlyList<StagingLease> leases, string node, int slots, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(leases);
        var room = slots - leases.Count(l => l.IsLive(now));
        return room <= 0 ? [] : [.. leases
            .Where(l => l.Index < Math.Min(slots, StagingLeaseNames.MaxSlots) && !l.IsLive(now) && l.Holder != node)
            .OrderBy(l => l.Index)
            .Take(room)];
    }

    // Before the pull: Idle (not decided yet), Staging (waiting, or backing off), or nothing reported yet.
    private static bool NeedsPull(PoolNode node) =>
        node.State != SlotRules.Degraded && node.DesiredDigest is { } desired && desired != node.CurrentDigest
        && node.Phase is "" or nameof(AgentState.Idle) or nameof(AgentState.Staging);
}

/// <summary>The closed set of steps <see cref="StagingPlanner"/> chooses.</summary>
internal abstract record StagingStep
{
    private StagingStep()
    {
    }

    /// <summary>Our own Lease: renew it (it is ours already).</summary>
    public sealed record Renew(StagingLease Lease) : StagingStep;

    /// <summary>Every staging slot is held by a live holder.</summary>
    public sealed record Full : StagingStep;

    /// <summary>Take a staging slot: create its Lease, or PUT on the listed one's version.</summary>
    /// <param name="Index">The slot's index.</param>
    /// <param name="Existing">The listed Lease to PUT on; null: it is missing, create it.</param>
    /// <param name="ExpiredFrom">The holder whose Lease expired; null for a free or missing one.</param>
    public sealed record Take(int Index, StagingLease? Existing, string? ExpiredFrom) : StagingStep;
}
