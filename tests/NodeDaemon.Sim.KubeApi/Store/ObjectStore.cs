using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NodeDaemon.Sim.KubeApi.Store;

/// <summary>
/// All objects of the test API server, one global resourceVersion counter bumped on every write (as etcd's revision is),
/// and a bounded history of changes so that watches can resume from a resourceVersion until it falls out of the window.
/// </summary>
/// <remarks>One lock guards everything; controllers run inside it, so every client sees a consistent state.</remarks>
public sealed partial class ObjectStore
{
    private readonly object _gate = new();
    private readonly TimeProvider _time;
    private readonly int _historyLimit;
    private readonly Dictionary<ResourceType, SortedDictionary<string, JsonObject>> _objects = [];
    // The same objects by namespace: a pod's budget recompute lists its namespace, and filtering every pod of a
    // 2,000-node pool for each pod event was quadratic in the pool.
    private readonly Dictionary<ResourceType, Dictionary<string, SortedDictionary<string, JsonObject>>> _byNamespace = [];
    private static readonly SortedDictionary<string, JsonObject> s_none = [];
    private readonly Queue<StoreEvent> _history = new();
    // Every object's uid, read without the lock: authentication checks a node-bound token's Node on every request, and
    // taking the one lock for it doubled the lock's traffic.
    private readonly ConcurrentDictionary<(ResourceType Type, string Key), string> _uids = new();
    private readonly WatcherIndex _watchers = new();
    private readonly List<IStoreReactor> _reactors = [];
    private long _rv;
    private long _compactedThrough;

    /// <summary>An empty store.</summary>
    public ObjectStore(TimeProvider time, int historyLimit = 1000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(historyLimit, 1);
        _time = time;
        _historyLimit = historyLimit;
        foreach (var type in ResourceTypes.All)
        {
            _objects[type] = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
            _byNamespace[type] = new Dictionary<string, SortedDictionary<string, JsonObject>>(StringComparer.Ordinal);
        }
    }

    /// <summary>The clock the store stamps objects with.</summary>
    public TimeProvider Time => _time;

    /// <summary>The current global resourceVersion.</summary>
    public long ResourceVersion
    {
        get
        {
            lock (_gate)
            {
                return _rv;
            }
        }
    }

    /// <summary>The lock that guards the store, for callers that need several operations to be atomic.</summary>
    internal object Gate => _gate;

    /// <summary>Adds a controller that sees every change.</summary>
    public void AddReactor(IStoreReactor reactor)
    {
        lock (_gate)
        {
            _reactors.Add(reactor);
        }
    }

    /// <summary>A copy of one object, or null.</summary>
    /// <remarks>Copied after the lock is released: stored objects never change (see <see cref="Commit"/>), and a copy
    /// under the lock held every other request of the pool up for it.</remarks>
    public JsonObject? Get(ResourceType type, string? ns, string name)
    {
        JsonObject? found;
        lock (_gate)
        {
            found = _objects[type].GetValueOrDefault(ObjectMeta.Key(ns, name));
        }

        return found is null ? null : Clone(found);
    }

    /// <summary>The uid of one object, or null when there is none: what authentication checks on every request of a
    /// node-bound token, without a copy of the Node.</summary>
    public string? Uid(ResourceType type, string? ns, string name) =>
        _uids.GetValueOrDefault((type, ObjectMeta.Key(type.Namespaced ? ns : null, name)));

    /// <summary>Copies of the objects of a type, in one namespace or (null) all of them, ordered by namespace and name.</summary>
    public IReadOnlyList<JsonObject> List(ResourceType type, string? ns = null)
    {
        List<JsonObject> found;
        lock (_gate)
        {
            found = [.. InNamespace(type, ns)];
        }

        return [.. found.Select(Clone)];
    }

    /// <summary>
    /// The stored objects of a type themselves, not copies, for controllers that run inside the store's lock (see
    /// <see cref="IStoreReactor"/>) and only read them: a scheduler choosing a node for each replacement pod of a pool
    /// of hundreds cannot afford a copy of every pod and node each time. Never changed in place by anyone.
    /// </summary>
    internal IReadOnlyList<JsonObject> Stored(ResourceType type)
    {
        lock (_gate)
        {
            return [.. _objects[type].Values];
        }
    }

    /// <summary>
    /// The current resourceVersion and the stored objects of a type (one namespace or all) that <paramref name="match"/>
    /// accepts, in <see cref="List"/>'s order, taken together under the lock: the list at that version. The objects are
    /// the stored ones, not copies (a list of hundreds of nodes asked for by hundreds of agents cannot afford a copy of
    /// each); they are never changed after they are stored (a write stores a new object), so they are written out after
    /// the lock is released, and a big list no longer holds every other request up while it is serialized.
    /// </summary>
    internal (long ResourceVersion, List<JsonObject> Items) Snapshot(ResourceType type, string? ns, Func<JsonObject, bool> match)
    {
        lock (_gate)
        {
            return (_rv, [.. InNamespace(type, ns).Where(match)]);
        }
    }

    /// <summary>Creates an object, filling uid, creationTimestamp and resourceVersion; 409 AlreadyExists on a taken name.</summary>
    /// <param name="type">The resource.</param>
    /// <param name="obj">The object; the caller's copy is not kept.</param>
    /// <param name="keepIdentity">Keep a given uid and creationTimestamp (seeds name uids that ownerReferences point at).</param>
    public JsonObject Create(ResourceType type, JsonObject obj, bool keepIdentity = false)
    {
        JsonObject stored;
        lock (_gate)
        {
            var created = Clone(obj);
            var meta = ObjectMeta.Metadata(created);
            var name = ObjectMeta.Name(created) ?? throw new ApiException(StatusErrors.Status(422, "Invalid",
                $"{type.Kind} \"\" is invalid: metadata.name: Required value: name or generateName is required"));
            var ns = type.Namespaced ? ObjectMeta.Namespace(created) : null;
            if (type.Namespaced)
            {
                if (string.IsNullOrEmpty(ns))
                {
                    throw new ApiException(StatusErrors.BadRequest("the server could not find the requested resource"));
                }

                if (!_objects[ResourceTypes.Namespaces].ContainsKey(ns))
                {
                    throw new ApiException(StatusErrors.NotFound(ResourceTypes.Namespaces, ns));
                }
            }
            else
            {
                meta.Remove("namespace");
            }

            var key = ObjectMeta.Key(ns, name);
            if (_objects[type].ContainsKey(key))
            {
                throw new ApiException(StatusErrors.AlreadyExists(type, name));
            }

            created["apiVersion"] = type.ApiVersion;
            created["kind"] = type.Kind;
            if (!keepIdentity || meta["uid"] is null)
            {
                meta["uid"] = Guid.NewGuid().ToString();
            }

            if (!keepIdentity || meta["creationTimestamp"] is null)
            {
                meta["creationTimestamp"] = ObjectMeta.Timestamp(_time.GetUtcNow());
            }
            if (type.Group is "apps" or "policy" && meta["generation"] is null)
            {
                meta["generation"] = 1;
            }

            meta.Remove("deletionTimestamp");
            meta.Remove("deletionGracePeriodSeconds");
            stored = Commit(type, key, "ADDED", created, null);
        }

        return Clone(stored);
    }

    /// <summary>
    /// Changes an object through <paramref name="mutate"/>, which gets a copy and returns the new state (it may throw an
    /// <see cref="ApiException"/>, e.g. on a stale resourceVersion). Identity fields are kept; a change that changes
    /// nothing is not written (as the real server skips no-op updates). 404 when the object does not exist.
    /// Only the server itself (<paramref name="deleting"/>) may set the deletion fields.
    /// </summary>
    public JsonObject Update(ResourceType type, string? ns, string name, Func<JsonObject, JsonObject> mutate, bool deleting = false)
    {
        JsonObject stored;
        lock (_gate)
        {
            var key = ObjectMeta.Key(type.Namespaced ? ns : null, name);
            if (!_objects[type].TryGetValue(key, out var current))
            {
                throw new ApiException(StatusErrors.NotFound(type, name));
            }

            var updated = mutate(Clone(current));
            var meta = ObjectMeta.Metadata(updated);
            var oldMeta = ObjectMeta.Metadata(current);
            string[] identity = deleting
                ? ["name", "namespace", "uid", "creationTimestamp", "generation"]
                : ["name", "namespace", "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation"];
            foreach (var kept in identity)
            {
                if (oldMeta[kept] is { } value)
                {
                    meta[kept] = value.DeepClone();
                }
                else if (kept is not ("deletionTimestamp" or "deletionGracePeriodSeconds"))
                {
                    meta.Remove(kept);
                }
            }

            updated["apiVersion"] = type.ApiVersion;
            updated["kind"] = type.Kind;
            meta["resourceVersion"] = oldMeta["resourceVersion"]?.DeepClone();
            if (JsonNode.DeepEquals(updated, current))
            {
                stored = current;
            }
            else
            {
                // The real server bumps generation on spec changes of the resources that track it.
                if (meta["generation"] is not null && !JsonNode.DeepEquals(updated["spec"], current["spec"]))
                {
                    meta["generation"] = (JsonNumber.Read(meta["generation"]) ?? 0) + 1;
                }

                stored = Commit(type, key, "MODIFIED", updated, current);
            }
        }

        return Clone(stored);
    }

    /// <summary>Removes an object for good (the end of a graceful deletion); null when it was already gone or the uid differs.</summary>
    public JsonObject? Remove(ResourceType type, string? ns, string name, string? uid = null)
    {
        JsonObject stored;
        lock (_gate)
        {
            var key = ObjectMeta.Key(type.Namespaced ? ns : null, name);
            if (!_objects[type].TryGetValue(key, out var current) || (uid is not null && ObjectMeta.Uid(current) != uid))
            {
                return null;
            }

            stored = Commit(type, key, "DELETED", Clone(current), current);
        }

        return Clone(stored);
    }

    /// <summary>
    /// Stores one copy of <paramref name="obj"/> (stamped with the next resourceVersion) and hands that same copy to the
    /// change's watchers and controllers; <paramref name="previous"/> is the stored object it replaces. A stored object
    /// is never changed after (a write stores a new one), so it is shared instead of copied for each of them: the copies
    /// were most of what every write did under the one lock.
    /// </summary>
    private JsonObject Commit(ResourceType type, string key, string eventType, JsonObject obj, JsonObject? previous)
    {
        _rv++;
        ObjectMeta.Metadata(obj)["resourceVersion"] = _rv.ToString(CultureInfo.InvariantCulture);
        var stored = Freeze(Clone(obj));
        var ns = type.Namespaced ? ObjectMeta.Namespace(stored) : null;
        if (eventType == "DELETED")
        {
            _objects[type].Remove(key);
            _uids.TryRemove((type, key), out _);
            if (ns is not null && _byNamespace[type].TryGetValue(ns, out var inNamespace))
            {
                inNamespace.Remove(key);
            }
        }
        else
        {
            _objects[type][key] = stored;
            _uids[(type, key)] = ObjectMeta.Uid(stored) ?? "";
            if (ns is not null)
            {
                if (!_byNamespace[type].TryGetValue(ns, out var inNamespace))
                {
                    _byNamespace[type][ns] = inNamespace = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
                }

                inNamespace[key] = stored;
            }
        }

        var change = new StoreEvent(eventType, type, stored, previous, _rv);
        _history.Enqueue(change);
        while (_history.Count > _historyLimit)
        {
            _compactedThrough = _history.Dequeue().ResourceVersion;
        }

        _watchers.Offer(change);
        foreach (var reactor in _reactors.ToArray())
        {
            reactor.OnChange(this, change);
        }

        return stored;
    }

    /// <summary>The stored objects of a type in one namespace, or all of them (null), in key order; call under the lock.</summary>
    private SortedDictionary<string, JsonObject>.ValueCollection InNamespace(ResourceType type, string? ns) =>
        ns is null ? _objects[type].Values
        : _byNamespace[type].TryGetValue(ns, out var inNamespace) ? inNamespace.Values
        : s_none.Values;
}
