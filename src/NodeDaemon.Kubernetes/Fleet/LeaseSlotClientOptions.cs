using NodeDaemon.Core.Options;

namespace NodeDaemon.Kubernetes.Fleet;

/// <summary>How the Lease slot client finds its pool and writes its Leases; the defaults are for a real cluster.</summary>
public sealed record LeaseSlotClientOptions : LeasePoolClientOptions
{
    /// <summary>The Lease annotations: the digest the holder works on, and who handed it the slot.</summary>
    public SlotLeaseKeys LeaseKeys { get; init; } = SlotLeaseKeys.Default;

    /// <summary>
    /// How long a slot handed to a waiting node may stay untaken before another node may take it over. A live node takes
    /// it up within moments (its watch tells it); one that does not is dead or gone, and its slot would stall the pool.
    /// Safe because a node writes the Lease (taking it up) before it cordons, so a takeover's conditional write fails if
    /// it did; this is not a timer on a holder at work.
    /// </summary>
    public TimeSpan HandOverTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// The <c>spec.leaseDurationSeconds</c> written, for people and tools reading the Lease. Nothing here frees a slot
    /// when it runs out: a rebooting holder keeps its slot until it renews or releases it after boot.
    /// </summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long the pool's slot count from its last node list answers "every slot is held" without reading the pool's
    /// nodes again. The node list is what finds a holder to take over (its node gone, or Done on the Lease's image) and
    /// what the halt counts; it is read whenever a slot is free, and otherwise at most this often, so a long wait costs
    /// one small Lease list per recheck instead of a list of every node of the pool. Past it, the pool is read only when a
    /// holder's Lease has not been written for <see cref="LeaseDuration"/> (a hint that it may be one to take over).
    /// Zero: every request reads the pool.
    /// </summary>
    public TimeSpan PoolRecheck { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The file in which the client remembers the Leases naming its node across restarts, so that a holder back from its
    /// reboot hands its slot on without listing the Leases first (a stale memory costs a 409 and a list). Empty: none.
    /// </summary>
    public string MemoryPath { get; init; } = "";

    /// <summary>The file name of <see cref="MemoryPath"/> in the state directory.</summary>
    public const string MemoryFileName = "slot-leases.json";

    /// <summary>Options for <paramref name="options"/>: its fleet section, protocol, prefix, node and state directory.</summary>
    public static LeaseSlotClientOptions From(NodeDaemonOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new LeaseSlotClientOptions
        {
            Fleet = options.Fleet,
            NodeKeys = NodeKeysOf(options),
            LeaseKeys = SlotLeaseKeys.For(options.AnnotationPrefix),
            MemoryPath = Path.Combine(options.StateDirectory, MemoryFileName),
        };
    }
}
