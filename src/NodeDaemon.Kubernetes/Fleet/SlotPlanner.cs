using NodeDaemon.Core.Fleet;

namespace NodeDaemon.Kubernetes.Fleet;

/// <summary>What an acquire request needs besides what it read: the clock and the options.</summary>
/// <param name="Now">The time now.</param>
/// <param name="Options">The client's options.</param>
internal sealed record SlotPlanContext(DateTimeOffset Now, LeaseSlotClientOptions Options);

/// <summary>
/// The pure protocol of an acquire request: from what it has read so far (<see cref="SlotPlanState"/>), the next read,
/// write or answer. <see cref="LeaseSlotClient.AcquireAsync"/> only performs the steps.
/// </summary>
/// <remarks>
/// Each pass lists the Leases first, so every write is made on a fresh list (a lost race reads again). Our own Lease is
/// made to name the digest before anything else; a pool whose slots are all held by a recent count answers Full without
/// reading the nodes; with a slot free and a count known, only the Degraded nodes are read (for the halt); otherwise the
/// pool is read once per request, and each pass then checks the halt, counts the slots and looks for takeovers.
/// </remarks>
internal static class SlotPlanner
{
    private static readonly IReadOnlyDictionary<string, string> s_noTakeovers = new Dictionary<string, string>();

    /// <summary>The next step of the request in <paramref name="state"/>.</summary>
    public static SlotStep Next(SlotPlanState state, SlotPlanContext context)
    {
        var options = context.Options;
        if (state.Granted is { } granted)
        {
            // A grant is kept only if the halt, read after its write, still allows it: a node that degraded after the
            // read before the write is seen now, and the slot goes back before anything is disrupted for it.
            if (state.DegradedAfterGrant is not { } after)
            {
                return new SlotStep.RecheckHalt();
            }

            return Halt(after, state, options) is { } late ? new SlotStep.GiveBack(late) : new SlotStep.Answer(granted, 0);
        }

        if (state.Leases is not { } leases)
        {
            // A slot known to name us (handed over, as the watch told, or ours since our last write) that needs a write
            // anyway: that write takes it up and names the digest, without a list first; a 409 means it changed since,
            // and the list tells how. One that needs no write is confirmed by the list (a write would wake every waiter).
            if (state.Known is { } known && NeedsWrite(known, state.Digest))
            {
                return new SlotStep.TakeUp(known, CountsAsLost: false);
            }

            // The Degraded nodes just read halt the pool: the Lease list made before them showed no slot of ours, and no
            // list after them changes that answer.
            if (state.Degraded is { } read && Halt(read, state, options) is { } halted)
            {
                return new SlotStep.Answer(halted, 0);
            }

            // Lost every race: the slots keep changing hands, which is what waiting for one looks like.
            return state.Lost < options.Transport.WriteAttempts
                ? new SlotStep.ListLeases()
                : new SlotStep.Answer(new SlotAnswer.Full(state.Tally.Holders), state.Tally.Slots);
        }

        if (leases.FirstOrDefault(l => l.Holder == state.Node) is { } mine)
        {
            // Ours already (a restart, a repeat, a hand-over): it is made to name the digest we now work on before we
            // disrupt anything for it, so nobody reads "finished its slot's image" from our Done on the old one.
            return NeedsWrite(mine, state.Digest)
                ? new SlotStep.TakeUp(mine, CountsAsLost: true)
                : new SlotStep.Answer(new SlotAnswer.Held(mine.Name), 0);
        }

        // Every slot held, by the count of a recent node list (ours, or the one a holder wrote on its Lease): the pool is
        // full unless a holder can be taken over, which the node list is needed to see; that is looked at only once the
        // count is PoolRecheck old, and then only if a holder looks suspect. So a pool asking at once lists its nodes a
        // few times, not once per node, and a long wait does not list them at all.
        if (KnownCount(state, leases, context) is { } count && SlotRules.Candidates(state.Pool, count, leases, s_noTakeovers).Count == 0)
        {
            return new SlotStep.Answer(new SlotAnswer.Full(Holders(leases)), count);
        }

        // A free slot and a count that needs no pool read: the halt is all that is left to check, and the pool's Degraded
        // nodes alone show it. Takeovers need the whole pool, but nobody takes over while a slot is free.
        if (state.Nodes is null && FreshCount(state, leases, context) is { } fresh
            && SlotRules.Candidates(state.Pool, fresh, leases, s_noTakeovers) is [_, ..] free)
        {
            if (state.Degraded is not { } degraded)
            {
                return new SlotStep.ReadDegraded();
            }

            return Halt(degraded, state, options) is { } halted
                ? new SlotStep.Answer(halted, 0)
                : new SlotStep.Take(SlotRules.Pick(free, state.Node, state.ListedVersion), fresh);
        }

        if (state.Nodes is not { } nodes)
        {
            return new SlotStep.ReadPool();
        }

        if (Halt(nodes.Values, state, options) is { } halt)
        {
            return new SlotStep.Answer(halt, 0);
        }

        // The asking node counts even when it no longer carries the label (a relabel just now).
        var slots = options.Fleet.SlotsFor(nodes.Count + (nodes.ContainsKey(state.Node) ? 0 : 1));
        var outside = leases.Where(l => l.IsHeld && !nodes.ContainsKey(l.Holder)).Select(l => l.Holder).ToList();
        if (outside.Count > 0 && state.Outsiders is null)
        {
            return new SlotStep.ReadHolders(outside) { Counted = slots };
        }

        var holders = Holders(leases);
        var candidates = SlotRules.Candidates(state.Pool, slots, leases, Takeovers(state, leases, nodes, context));
        if (candidates.Count == 0)
        {
            return new SlotStep.Answer(new SlotAnswer.Full(holders), slots) { Counted = slots };
        }

        // One candidate per pass: after a lost race the list is stale, and a create that landed before its answer was
        // lost shows up in the next list as ours instead of making us take a second slot. Which free one depends on the
        // node and the list, so that nodes asking at once try different slots instead of all racing for the first.
        return new SlotStep.Take(SlotRules.Pick(candidates, state.Node, state.ListedVersion), slots)
        {
            Counted = slots,
            Tally = new SlotTally(slots, holders),
        };
    }

    /// <summary>Whether our <paramref name="lease"/> needs a write: it was handed to us and is not taken up, or names another digest.</summary>
    private static bool NeedsWrite(SlotLease lease, string digest) => lease.HandedOverBy is not null || lease.Digest != digest;

    /// <summary>The Halted answer when enough of <paramref name="nodes"/> are Degraded on the digest asked for; else null.</summary>
    private static SlotAnswer.Halted? Halt(IEnumerable<PoolNode> nodes, SlotPlanState state, LeaseSlotClientOptions options) =>
        SlotRules.Halt(nodes, state.Digest, state.Node, options.Fleet.HaltAfterFailures);

    /// <summary>Why each held Lease may be taken over, by name, counting only Leases unchanged since the pool was read.</summary>
    private static Dictionary<string, string> Takeovers(SlotPlanState state, IReadOnlyList<SlotLease> leases, IReadOnlyDictionary<string, PoolNode> nodes,
        SlotPlanContext context)
    {
        var reasons = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var lease in leases.Where(l => l.IsHeld))
        {
            var holder = nodes.TryGetValue(lease.Holder, out var listed) ? listed : state.Outsiders?.GetValueOrDefault(lease.Holder);
            if (SlotRules.TakeoverReason(lease, holder, context.Now, context.Options.HandOverTimeout) is { } reason
                && state.ReadWith.GetValueOrDefault(lease.Name) == lease.ResourceVersion)
            {
                reasons[lease.Name] = reason;
            }
        }

        return reasons;
    }

    /// <summary>
    /// The pool's slot count as good as a node list of now, without one: a count (<c>maxUnavailable: 10</c>) is that
    /// count; a percentage needs a recent one (see <see cref="RecentCount"/>). Null when
    /// <see cref="LeaseSlotClientOptions.PoolRecheck"/> is zero: every request reads the pool.
    /// </summary>
    private static int? FreshCount(SlotPlanState state, IReadOnlyList<SlotLease> leases, SlotPlanContext context) =>
        context.Options.PoolRecheck <= TimeSpan.Zero ? null : context.Options.Fleet.FixedSlots ?? RecentCount(state, leases, context);

    /// <summary>
    /// The pool's slot count without reading its nodes, or null when they must be read: a recent count (see
    /// <see cref="RecentCount"/>); else the configured or latest count on a Lease, unless a held Lease looks suspect
    /// (see <see cref="SlotRules.Suspect"/>): only then may a holder be one to take over, which the pool's nodes show.
    /// </summary>
    private static int? KnownCount(SlotPlanState state, IReadOnlyList<SlotLease> leases, SlotPlanContext context)
    {
        var options = context.Options;
        if (options.PoolRecheck <= TimeSpan.Zero)
        {
            return null;
        }

        if (RecentCount(state, leases, context) is { } recent)
        {
            return recent;
        }

        return leases.Any(l => SlotRules.Suspect(l, context.Now, options.LeaseDuration))
            ? null
            : options.Fleet.FixedSlots ?? Latest(leases)?.Slots;
    }

    /// <summary>
    /// The slot count of a node list less than <see cref="LeaseSlotClientOptions.PoolRecheck"/> old: our own last one,
    /// or the count the latest writer of one of <paramref name="leases"/> put on it; null when there is none.
    /// </summary>
    private static int? RecentCount(SlotPlanState state, IReadOnlyList<SlotLease> leases, SlotPlanContext context)
    {
        var recheck = context.Options.PoolRecheck;
        if (state.LastCount is { } own && own.Pool == state.Pool && context.Now - own.At < recheck)
        {
            return own.Slots;
        }

        return Latest(leases) is { RenewedAt: { } at } latest && context.Now - at < recheck ? latest.Slots : null;
    }

    /// <summary>The Lease last written with a slot count on it, or null.</summary>
    private static SlotLease? Latest(IReadOnlyList<SlotLease> leases) =>
        leases.Where(l => l is { Slots: not null, RenewedAt: not null }).MaxBy(l => l.RenewedAt);

    /// <summary>The holders of <paramref name="leases"/>, sorted.</summary>
    public static IReadOnlyList<string> Holders(IReadOnlyList<SlotLease> leases) =>
        [.. leases.Where(l => l.IsHeld).Select(l => l.Holder).Distinct().Order(StringComparer.Ordinal)];
}
