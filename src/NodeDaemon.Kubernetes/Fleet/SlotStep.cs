using NodeDaemon.Core.Fleet;

namespace NodeDaemon.Kubernetes.Fleet;

/// <summary>The next thing an acquire request does, as <see cref="SlotPlanner"/> decides it: one read, one write, or the answer.</summary>
internal abstract record SlotStep
{
    // Only the nested records below derive from this: the set is closed.
    private SlotStep()
    {
    }

    /// <summary>The pool's slot count this step's pass counted from a node list, to be cached as of now; null when it counted none.</summary>
    public int? Counted { get; init; }

    /// <summary>List the pool's slot Leases.</summary>
    public sealed record ListLeases : SlotStep;

    /// <summary>List every node of the pool (metadata only): for the halt, the slot count and takeovers.</summary>
    public sealed record ReadPool : SlotStep;

    /// <summary>List the pool's Degraded nodes only: with a slot free and the count known, the halt is all that is left.</summary>
    public sealed record ReadDegraded : SlotStep;

    /// <summary>Read by name the holders the pool list did not show (relabelled or deleted: only a 404 means gone).</summary>
    /// <param name="Names">The holders, in the order of their Leases.</param>
    public sealed record ReadHolders(IReadOnlyList<string> Names) : SlotStep;

    /// <summary>Write <paramref name="Lease"/>, which names us, so that it names the digest and is taken up.</summary>
    /// <param name="Lease">Our Lease, as known or listed.</param>
    /// <param name="CountsAsLost">Whether losing this write counts against the attempts (not for one known before any list).</param>
    public sealed record TakeUp(SlotLease Lease, bool CountsAsLost) : SlotStep;

    /// <summary>Take <paramref name="Candidate"/> (a create, or a PUT on its listed version) for <paramref name="Slots"/> slots.</summary>
    /// <param name="Candidate">The slot to take.</param>
    /// <param name="Slots">The pool's slot count written on the Lease.</param>
    public sealed record Take(SlotCandidate Candidate, int Slots) : SlotStep
    {
        /// <summary>The count and holders a pool read of this pass saw, for the answer after every race is lost; null when none.</summary>
        public SlotTally? Tally { get; init; }
    }

    /// <summary>List the pool's Degraded nodes again after a grant was written (see <see cref="SlotPlanState.Granted"/>).</summary>
    public sealed record RecheckHalt : SlotStep;

    /// <summary>Give the slot just granted back (hand it on or free it) and answer <paramref name="Reply"/>: the pool halted before the grant.</summary>
    /// <param name="Reply">The halt the check after the grant found.</param>
    public sealed record GiveBack(SlotAnswer.Halted Reply) : SlotStep;

    /// <summary>The request is answered: held already, full, or halted.</summary>
    /// <param name="Reply">The answer.</param>
    /// <param name="Slots">The slot count the answer was made with, for the log (0 when none was counted).</param>
    public sealed record Answer(SlotAnswer Reply, int Slots) : SlotStep;
}

/// <summary>The slot count and holders of one pass that read the pool.</summary>
/// <param name="Slots">The pool's slot count.</param>
/// <param name="Holders">The holders of the pass's Leases, sorted.</param>
internal sealed record SlotTally(int Slots, IReadOnlyList<string> Holders)
{
    /// <summary>Before any pass read the pool.</summary>
    public static readonly SlotTally None = new(0, []);
}
