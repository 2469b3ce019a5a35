namespace NodeDaemon.Core.Fleet;

/// <summary>The closed set of answers to a slot request; <see cref="Message"/> is the line the node reports.</summary>
public abstract record SlotAnswer
{
    // Only the nested records below derive from this: the set is closed.
    private SlotAnswer()
    {
    }

    /// <summary>The progress line for the node's <c>message</c> annotation.</summary>
    public abstract string Message { get; }

    /// <summary>This request took a slot: the node may cordon now.</summary>
    /// <param name="Slot">The slot's name, for logs and messages.</param>
    /// <param name="TakenOverFrom">The holder the slot was taken over from (its node is gone, or it finished), or null.</param>
    /// <param name="HandedOverBy">The node that gave the slot straight to this one when it finished, or null.</param>
    public sealed record Acquired(string Slot, string? TakenOverFrom = null, string? HandedOverBy = null) : SlotAnswer
    {
        /// <inheritdoc/>
        public override string Message => (TakenOverFrom, HandedOverBy) switch
        {
            ({ } from, _) => $"took slot {Slot} over from {from}",
            (_, { } by) => $"took slot {Slot}, handed over by {by}",
            _ => $"took slot {Slot}",
        };
    }

    /// <summary>The node already held a slot (a restart, a repeated request); it now names the requested digest.</summary>
    /// <param name="Slot">The slot's name.</param>
    public sealed record Held(string Slot) : SlotAnswer
    {
        /// <inheritdoc/>
        public override string Message => $"holding slot {Slot}";
    }

    /// <summary>Every slot of the pool is held by a node still working: wait and ask again.</summary>
    /// <param name="Holders">The holders' node names, sorted.</param>
    public sealed record Full(IReadOnlyList<string> Holders) : SlotAnswer
    {
        /// <inheritdoc/>
        /// <remarks>The holders are not named: they change on every other poll of a long wait, and each change would be
        /// one more write of the node (at 500 nodes the most frequent write there was). The log and the Leases name them.</remarks>
        public override string Message => Holders.Count switch
        {
            0 => "waiting for a slot",
            1 => "waiting for a slot: the pool's one slot is held",
            var n => $"waiting for a slot: all {n} slots are held",
        };
    }

    /// <summary>Too many nodes of the pool are Degraded on the same desired image: no new slot until an admin acts.</summary>
    /// <param name="DegradedNodes">The Degraded nodes' names, sorted.</param>
    /// <param name="DesiredDigest">The digest they failed on.</param>
    public sealed record Halted(IReadOnlyList<string> DegradedNodes, string DesiredDigest) : SlotAnswer
    {
        /// <inheritdoc/>
        public override string Message =>
            $"pool halted: {DegradedNodes.Count} node{(DegradedNodes.Count == 1 ? "" : "s")} Degraded on {DesiredDigest}: {string.Join(", ", DegradedNodes)}";
    }
}
