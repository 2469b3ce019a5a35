namespace NodeDaemon.Core.Fleet;

/// <summary>The closed set of answers to a staging slot request; <see cref="Message"/> is the line the node reports.</summary>
public abstract record StagingAnswer
{
    // Only the nested records below derive from this: the set is closed.
    private StagingAnswer()
    {
    }

    /// <summary>The progress line for the node's <c>message</c> annotation.</summary>
    public abstract string Message { get; }

    /// <summary>The node holds a staging slot (taken now, or already its own): it may pull.</summary>
    /// <param name="Slot">The slot's name, for logs and messages.</param>
    /// <param name="ExpiredFrom">The holder whose slot had expired (it stopped renewing), or null.</param>
    public sealed record Taken(string Slot, string? ExpiredFrom = null) : StagingAnswer
    {
        /// <inheritdoc/>
        public override string Message => ExpiredFrom is { } from ? $"took staging slot {Slot} (expired, held by {from})" : $"took staging slot {Slot}";
    }

    /// <summary>Every staging slot of the pool is held and renewed: wait and ask again.</summary>
    /// <param name="Slots">The pool's staging slots.</param>
    public sealed record Full(int Slots) : StagingAnswer
    {
        /// <inheritdoc/>
        public override string Message => Slots == 1
            ? "waiting for a staging slot: the pool's one pull is under way"
            : $"waiting for a staging slot: all {Slots} pulls of the pool are under way";
    }
}
