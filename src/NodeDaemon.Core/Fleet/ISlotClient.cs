namespace NodeDaemon.Core.Fleet;

/// <summary>The agent's seam to its pool's slots: at most as many nodes of a pool as it has slots are between cordon and uncordon.</summary>
/// <remarks>
/// A slot is only ever given up by its holder (to the next waiting node, or free), or taken over when its holder's node is gone or reports that it finished
/// the slot's image; never because time passed (a rebooting holder renews after boot). The holder takes a slot before
/// it cordons, calls <see cref="AcquireAsync"/> again whenever its desired image changes while it holds one (so the slot
/// names what it now works on), and releases it after uncordoning and reporting Done. Transient API trouble is retried
/// inside; what escapes is a <see cref="Cluster.ClusterException"/> once the retries are spent, or cancellation.
/// </remarks>
public interface ISlotClient
{
    /// <summary>
    /// Takes a slot of the member's pool for <see cref="SlotRequest.DesiredDigest"/>, or says why not. An implementation
    /// derives the number of slots from the pool's current size and <c>fleet.maxUnavailable</c>.
    /// </summary>
    Task<SlotAnswer> AcquireAsync(SlotRequest request, CancellationToken cancellationToken);

    /// <summary>Records that the holder is still alive and working; false when the member holds no slot (any more).</summary>
    Task<bool> RenewAsync(SlotMember member, CancellationToken cancellationToken);

    /// <summary>
    /// Gives every slot the member holds back; a no-op when it holds none. An implementation may hand a slot straight to
    /// a node of the pool waiting for one (which then finds it held by itself), so that a freed slot is not raced for.
    /// </summary>
    Task ReleaseAsync(SlotMember member, CancellationToken cancellationToken);

    /// <summary>
    /// Until cancelled, yields whenever the pool's slots may have something for <paramref name="member"/>, refused a slot
    /// before: one was handed to it, or one became free. A yield promises nothing (ask with <see cref="AcquireAsync"/>),
    /// and a quiet stream is no proof that nothing changed, so a waiting agent still asks again now and then.
    /// </summary>
    IAsyncEnumerable<SlotChance> WatchAsync(SlotMember member, CancellationToken cancellationToken);

    /// <summary>
    /// The slot the member holds now, with the digest it names when the cluster confirmed it, or null when it holds
    /// none: after a restart or a reboot this rebuilds the agent's view.
    /// </summary>
    Task<HeldSlot?> HoldsAsync(SlotMember member, CancellationToken cancellationToken);
}
