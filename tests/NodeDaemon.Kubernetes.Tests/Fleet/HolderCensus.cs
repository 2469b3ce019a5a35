using NodeDaemon.Sim.KubeApi.Store;

namespace NodeDaemon.Kubernetes.Tests.Fleet;

/// <summary>Counts the distinct holders of the slot Leases after every Lease write, inside the store's lock: every moment, not samples.</summary>
internal sealed class HolderCensus(string ns) : IStoreReactor
{
    private readonly object _gate = new();
    private int _writes;

    /// <summary>The most distinct holders ever seen at once.</summary>
    public int Max { get; private set; }

    /// <summary>Lease writes seen.</summary>
    public int Writes
    {
        get
        {
            lock (_gate)
            {
                return _writes;
            }
        }
    }

    public void OnChange(ObjectStore store, StoreEvent change)
    {
        if (change.Resource != ResourceTypes.Leases)
        {
            return;
        }

        var holders = store.List(ResourceTypes.Leases, ns)
            .Select(l => (string?)l["spec"]?["holderIdentity"] ?? "")
            .Where(h => h.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .Count();
        lock (_gate)
        {
            _writes++;
            Max = Math.Max(Max, holders);
        }
    }
}
