using NodeDaemon.Core.Fleet;

namespace NodeDaemon.Kubernetes.Fleet;

/// <summary>What one acquire request has read and tried so far: the executor adds each read and each lost write, and
/// <see cref="SlotPlanner"/> decides the next step from it.</summary>
/// <param name="Node">The asking node.</param>
/// <param name="Pool">Its pool.</param>
/// <param name="Digest">The digest it asks for, normalized.</param>
internal sealed record SlotPlanState(string Node, string Pool, string Digest)
{
    /// <summary>A Lease known to name us before any list (handed over, told by the watch, or our last write); null once a list was made.</summary>
    public SlotLease? Known { get; init; }

    /// <summary>The Leases of this pass; null when the next pass lists them.</summary>
    public IReadOnlyList<SlotLease>? Leases { get; init; }

    /// <summary>The resourceVersion of the last Lease list, the salt of the pick.</summary>
    public string ListedVersion { get; init; } = "";

    /// <summary>The pool's nodes by name; read once per request (a list per lost race made a pool's race slower).</summary>
    public IReadOnlyDictionary<string, PoolNode>? Nodes { get; init; }

    /// <summary>
    /// The Leases' versions when the nodes were read: a holder is taken over only on a Lease unchanged since, so a holder
    /// that wrote its Lease after our read of its node (a new digest) makes the takeover fail in every pass.
    /// </summary>
    public IReadOnlyDictionary<string, string> ReadWith { get; init; } = new Dictionary<string, string>();

    /// <summary>The pool's Degraded nodes, when only they were read; kept across passes.</summary>
    public IReadOnlyList<PoolNode>? Degraded { get; init; }

    /// <summary>This pass's holders outside the pool list, read by name (null: gone); null when not read in this pass.</summary>
    public IReadOnlyDictionary<string, PoolNode?>? Outsiders { get; init; }

    /// <summary>
    /// This client's cached slot count as of this pass's Lease list: a count the pass itself makes (a step's
    /// <see cref="SlotStep.Counted"/>) counts from the next pass on.
    /// </summary>
    public PoolCount? LastCount { get; init; }

    /// <summary>The races lost so far.</summary>
    public int Lost { get; init; }

    /// <summary>The count and holders of the last pass that read the pool.</summary>
    public SlotTally Tally { get; init; } = SlotTally.None;

    /// <summary>
    /// The answer of a write that granted us a slot (a take, or the take-up of one handed to us), before the halt was
    /// checked again; null while none was. The halt read before the grant is of other objects than the Lease and can be
    /// stale by the time the write lands (a starved process, seconds between the two); the read after it cannot.
    /// </summary>
    public SlotAnswer.Acquired? Granted { get; init; }

    /// <summary>The pool's Degraded nodes as listed after <see cref="Granted"/> was written; null before that read.</summary>
    public IReadOnlyList<PoolNode>? DegradedAfterGrant { get; init; }

    /// <summary>After a write that granted a slot: the halt is checked once more before the answer.</summary>
    public SlotPlanState Won(SlotAnswer.Acquired answer) => this with { Granted = answer, DegradedAfterGrant = null };

    /// <summary>After the list of the pool's Degraded nodes that follows a grant.</summary>
    public SlotPlanState Rechecked(IReadOnlyList<PoolNode> degraded) => this with { DegradedAfterGrant = degraded };

    /// <summary>After a Lease list: a new pass.</summary>
    public SlotPlanState Listed(IReadOnlyList<SlotLease> leases, string version, PoolCount? lastCount) =>
        this with { Known = null, Leases = leases, ListedVersion = version, LastCount = lastCount, Outsiders = null };

    /// <summary>
    /// After the pool list. It is the slow read of a request, and the nodes of a pool annotated at once finish staging
    /// together: by its answer they have taken slots this pass's Leases show free, so the Leases are read again before
    /// any write (one list, where a write on the stale one would cost a 409 and a list).
    /// </summary>
    public SlotPlanState PoolRead(IReadOnlyDictionary<string, PoolNode> nodes) =>
        this with { Nodes = nodes, ReadWith = (Leases ?? []).ToDictionary(l => l.Name, l => l.ResourceVersion, StringComparer.Ordinal), Leases = null };

    /// <summary>
    /// After the list of the pool's Degraded nodes. Like the pool list, it is a read of other objects between the Lease
    /// list and the write, and the nodes of a pool annotated at once ask together: by its answer others have taken the
    /// slots the list showed free, so the Leases are read again before the write (one list, where a create on the stale
    /// one costs a 409 and the same list; at 500 nodes 489 of 500 creates lost so).
    /// </summary>
    public SlotPlanState DegradedRead(IReadOnlyList<PoolNode> degraded) => this with { Degraded = degraded, Leases = null };

    /// <summary>After reading the holders outside the pool list.</summary>
    public SlotPlanState HoldersRead(IReadOnlyDictionary<string, PoolNode?> outsiders) => this with { Outsiders = outsiders };

    /// <summary>After a write that lost (409 or 404): the Leases are read again.</summary>
    public SlotPlanState RaceLost(SlotStep lost) => this with
    {
        Known = null,
        Leases = null,
        Outsiders = null,
        Lost = Lost + (lost is SlotStep.Take or SlotStep.TakeUp { CountsAsLost: true } ? 1 : 0),
        Tally = (lost as SlotStep.Take)?.Tally ?? Tally,
    };
}
