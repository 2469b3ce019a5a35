using System.Globalization;
using System.Text.Json.Nodes;

namespace NodeDaemon.Sim.KubeApi.Store;

/// <summary>The store's watches: starting one (from now, or replayed from a resourceVersion), history and bookmarks.</summary>
public sealed partial class ObjectStore
{
    /// <summary>
    /// Starts a watch. <paramref name="fromResourceVersion"/> null or 0 starts with ADDED events for the current objects;
    /// otherwise events after it are replayed, and a version older than the retained history yields a 410 Expired error.
    /// <paramref name="name"/>, when the watch's field selector names one object (<c>metadata.name=X</c>), lets the
    /// store offer it only that object's events; <paramref name="filter"/> still decides.
    /// </summary>
    public WatchSubscription Watch(ResourceType type, string? ns, long? fromResourceVersion, Func<JsonObject, bool> filter, string? name = null)
    {
        lock (_gate)
        {
            var subscription = new WatchSubscription(this, type, ns, filter, name);
            if (fromResourceVersion is null or 0)
            {
                IEnumerable<JsonObject> current = name is null || (type.Namespaced && ns is null) ? InNamespace(type, ns)
                    : _objects[type].TryGetValue(ObjectMeta.Key(ns, name), out var named) ? [named] : [];
                foreach (var obj in current)
                {
                    subscription.Offer(new StoreEvent("ADDED", type, obj, null, long.Parse(ObjectMeta.ResourceVersion(obj)!, CultureInfo.InvariantCulture)));
                }

                subscription.Initial = (subscription.Pending, _rv);
            }
            else if (fromResourceVersion < _compactedThrough)
            {
                subscription.Fail(StatusErrors.Expired(fromResourceVersion.Value, _compactedThrough));
                return subscription;
            }
            else
            {
                foreach (var change in _history.Where(e => e.ResourceVersion > fromResourceVersion && e.Resource == type
                    && (name is null || ObjectMeta.Name(e.Item) == name)))
                {
                    subscription.Offer(change);
                }
            }

            _watchers.Add(subscription);
            return subscription;
        }
    }

    /// <summary>Forgets all history, so that any watch from an older resourceVersion gets 410 (as after an etcd compaction).</summary>
    public void Compact()
    {
        lock (_gate)
        {
            _history.Clear();
            _compactedThrough = _rv;
        }
    }

    /// <summary>The resourceVersion a bookmark may carry now: the current one if the watcher has nothing queued, else null.</summary>
    internal long? BookmarkVersion(WatchSubscription subscription)
    {
        lock (_gate)
        {
            return subscription.Pending == 0 ? _rv : null;
        }
    }

    internal void Unsubscribe(WatchSubscription subscription)
    {
        lock (_gate)
        {
            _watchers.Remove(subscription);
        }
    }
}
