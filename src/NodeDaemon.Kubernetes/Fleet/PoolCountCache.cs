namespace NodeDaemon.Kubernetes.Fleet;

/// <summary>A pool's slot count as of a node list.</summary>
/// <param name="Pool">The pool.</param>
/// <param name="Slots">Its slot count.</param>
/// <param name="At">When its nodes were counted.</param>
internal sealed record PoolCount(string Pool, int Slots, DateTimeOffset At);

/// <summary>The slot count of this client's last node list, for the cheap "all held" answer (see <see cref="LeaseSlotClientOptions.PoolRecheck"/>).</summary>
internal sealed class PoolCountCache
{
    private readonly Lock _gate = new();
    private PoolCount? _last;

    /// <summary>The last count, or null before any.</summary>
    public PoolCount? Last
    {
        get
        {
            lock (_gate)
            {
                return _last;
            }
        }
    }

    /// <summary>Keeps <paramref name="slots"/> as <paramref name="pool"/>'s count as of <paramref name="at"/>.</summary>
    public void Record(string pool, int slots, DateTimeOffset at)
    {
        lock (_gate)
        {
            _last = new PoolCount(pool, slots, at);
        }
    }
}
