using System.Collections.Concurrent;

namespace NodeDaemon.Sim.KubeApi;

/// <summary>Counts requests by <c>"verb resource"</c> (<c>"patch nodes"</c>, <c>"create pods/eviction"</c>, <c>"watch nodes"</c>).</summary>
public sealed class RequestCounter
{
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _errors = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _metadataOnly = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _listed = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _bookmarks = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _unmanaged = new(StringComparer.Ordinal);

    /// <summary>The connections the requests came on: accepted, open, by protocol.</summary>
    public ConnectionCounter Connections { get; } = new();

    /// <summary>How many requests of this kind arrived.</summary>
    public int this[string key] => _counts.TryGetValue(key, out var count) ? count : 0;

    /// <summary>A copy of all counts, sorted by key.</summary>
    public IReadOnlyDictionary<string, int> Snapshot() => new SortedDictionary<string, int>(_counts, StringComparer.Ordinal);

    /// <summary>Requests answered with an error, by <c>"verb resource status"</c> (<c>"update leases 409"</c>), sorted by key.</summary>
    public IReadOnlyDictionary<string, int> Errors() => new SortedDictionary<string, int>(_errors, StringComparer.Ordinal);

    /// <summary>How many lists of this kind (<c>"list nodes"</c>) were served metadata-only (<c>PartialObjectMetadataList</c>).</summary>
    public int MetadataOnly(string key) => _metadataOnly.TryGetValue(key, out var count) ? count : 0;

    /// <summary>How many objects lists of this kind (<c>"list nodes"</c>) returned, all together: what the clients read.</summary>
    public long Listed(string key) => _listed.TryGetValue(key, out var count) ? count : 0;

    /// <summary>How many BOOKMARK events watches of <paramref name="resource"/> (<c>"nodes"</c>) were sent: events, not
    /// requests, so counted apart (a test waits for them instead of sleeping through the interval).</summary>
    public int Bookmarks(string resource) => _bookmarks.TryGetValue(resource, out var count) ? count : 0;

    /// <summary>Writes (create, update, patch) that named no <c>fieldManager</c>, by <c>"agent verb resource"</c> where agent is
    /// the User-Agent's prefix the server names them after (<c>"nodedaemon patch nodes"</c>), sorted by key.</summary>
    public IReadOnlyDictionary<string, int> Unmanaged() => new SortedDictionary<string, int>(_unmanaged, StringComparer.Ordinal);

    /// <summary>Forgets every count (of connections: the accepted ones; those open stay open).</summary>
    public void Reset()
    {
        _counts.Clear();
        _errors.Clear();
        _metadataOnly.Clear();
        _listed.Clear();
        _bookmarks.Clear();
        _unmanaged.Clear();
        Connections.Reset();
    }

    internal void Add(string key) => _counts.AddOrUpdate(key, 1, (_, count) => count + 1);

    internal void AddUnmanaged(string key) => _unmanaged.AddOrUpdate(key, 1, (_, count) => count + 1);

    internal void AddListed(string key, int items) => _listed.AddOrUpdate(key, items, (_, count) => count + items);

    internal void AddBookmark(string resource) => _bookmarks.AddOrUpdate(resource, 1, (_, count) => count + 1);

    internal void AddMetadataOnly(string key) => _metadataOnly.AddOrUpdate(key, 1, (_, count) => count + 1);

    internal void AddError(string key, int status) =>
        _errors.AddOrUpdate(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{key} {status}"), 1, (_, count) => count + 1);
}
