namespace NodeDaemon.Sim.KubeApi.Store;

/// <summary>
/// The store's open watches, by resource, and by object name for the watches that select one object (each daemon's
/// watch of its own Node): a change is offered only to the watches that can select it, not to every watch of the
/// resource (2,000 node watches, each filtering every node write of a 2,000-node pool, was quadratic in the pool).
/// </summary>
/// <remarks>Used under the store's lock. The order in which watches are offered a change does not matter: each
/// watch sees its own events in resourceVersion order.</remarks>
internal sealed class WatcherIndex
{
    private readonly Dictionary<ResourceType, HashSet<WatchSubscription>> _unnamed = [];
    private readonly Dictionary<(ResourceType Resource, string Name), HashSet<WatchSubscription>> _named = [];

    public void Add(WatchSubscription subscription)
    {
        var set = subscription.Name is { } name ? Set(_named, (subscription.Resource, name)) : Set(_unnamed, subscription.Resource);
        set.Add(subscription);
    }

    public void Remove(WatchSubscription subscription)
    {
        if (subscription.Name is { } name)
        {
            if (_named.TryGetValue((subscription.Resource, name), out var set) && set.Remove(subscription) && set.Count == 0)
            {
                _named.Remove((subscription.Resource, name));
            }
        }
        else if (_unnamed.TryGetValue(subscription.Resource, out var set))
        {
            set.Remove(subscription);
        }
    }

    public void Offer(StoreEvent change)
    {
        if (_unnamed.TryGetValue(change.Resource, out var all))
        {
            foreach (var watcher in all)
            {
                watcher.Offer(change);
            }
        }

        if (ObjectMeta.Name(change.Item) is { } name && _named.TryGetValue((change.Resource, name), out var named))
        {
            foreach (var watcher in named)
            {
                watcher.Offer(change);
            }
        }
    }

    private static HashSet<WatchSubscription> Set<TKey>(Dictionary<TKey, HashSet<WatchSubscription>> sets, TKey key)
        where TKey : notnull
    {
        if (!sets.TryGetValue(key, out var set))
        {
            sets[key] = set = [];
        }

        return set;
    }
}
