namespace NodeDaemon.Core.Fleet;

/// <summary>The agent's seam to its pool's staging slots: at most <c>fleet.maxStaging</c> nodes of a pool pull at once.</summary>
/// <remarks>
/// Unlike a disruption slot, a staging slot bounds load, not safety: one pull too many for a moment costs registry
/// bandwidth, never a workload. So a staging slot expires: its holder renews it while it pulls, and one not renewed
/// for its lease duration (the holder crashed, was killed, or lost its node) may be taken by another node. The holder
/// takes one right before it pulls and gives it back as soon as the pull ends, successful or not.
/// </remarks>
public interface IStagingSlotClient
{
    /// <summary>How often a holder renews its staging slot while it pulls (a fraction of the slot's lease duration).</summary>
    TimeSpan RenewInterval { get; }

    /// <summary>Takes a staging slot of the member's pool for <paramref name="digest"/>, or says the pool's pulls are full.</summary>
    Task<StagingAnswer> AcquireAsync(SlotMember member, string digest, CancellationToken cancellationToken);

    /// <summary>Records that the holder is still pulling; false when the member holds no staging slot (any more).</summary>
    Task<bool> RenewAsync(SlotMember member, CancellationToken cancellationToken);

    /// <summary>Gives the member's staging slot back, or hands it to a node of the pool waiting to pull; a no-op when it holds none.</summary>
    Task ReleaseAsync(SlotMember member, CancellationToken cancellationToken);

    /// <summary>
    /// Until cancelled, yields the name of each staging slot handed to <paramref name="member"/>, refused one before. A
    /// yield promises nothing (ask with <see cref="AcquireAsync"/>), and a quiet stream is no proof that nothing changed
    /// (a holder that died frees its slot only by expiring), so a waiting agent still asks again now and then.
    /// </summary>
    IAsyncEnumerable<string> WatchAsync(SlotMember member, CancellationToken cancellationToken);
}
