namespace NodeDaemon.Sim.KubeApi.Store;

/// <summary>A controller that reacts to store changes synchronously, inside the store's lock, as the real controllers
/// would shortly after (the delay does not matter to clients; a consistent view does).</summary>
public interface IStoreReactor
{
    /// <summary>Called after each write; may write to the store again (the lock is re-entrant).</summary>
    void OnChange(ObjectStore store, StoreEvent change);
}
