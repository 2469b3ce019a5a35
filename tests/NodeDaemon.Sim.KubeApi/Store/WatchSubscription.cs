using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace NodeDaemon.Sim.KubeApi.Store;

/// <summary>One open watch: the events it selected, in order, and a terminal error when it cannot start.</summary>
/// <remarks>
/// Like the real watch cache, an object that moves into the selection arrives as ADDED and one that moves out as DELETED.
/// </remarks>
public sealed class WatchSubscription : IDisposable
{
    private readonly ObjectStore _store;
    private readonly string? _namespace;
    private readonly Func<JsonObject, bool> _filter;
    private readonly Channel<(string Type, StoreEvent Change)> _events = Channel.CreateUnbounded<(string, StoreEvent)>();

    internal WatchSubscription(ObjectStore store, ResourceType resource, string? ns, Func<JsonObject, bool> filter, string? name)
    {
        _store = store;
        Resource = resource;
        _namespace = ns;
        _filter = filter;
        Name = name;
    }

    /// <summary>The watched resource.</summary>
    public ResourceType Resource { get; }

    /// <summary>The one object name the watch selects (<c>metadata.name=X</c>), or null: only its events are offered.</summary>
    public string? Name { get; }

    /// <summary>The Status to send as a single ERROR event instead of watching (410 Expired), or null.</summary>
    public JsonObject? Error { get; private set; }

    /// <summary>The selected events, in resourceVersion order, each with the type this watch sees (the object is shared: read only).</summary>
    public ChannelReader<(string Type, StoreEvent Change)> Events => _events.Reader;

    internal int Pending => _events.Reader.Count;

    /// <summary>For a watch started from the current state: how many ADDED events that state is, and the resourceVersion it is at.</summary>
    public (int Events, long ResourceVersion)? Initial { get; internal set; }

    /// <summary>The resourceVersion a BOOKMARK may carry now, or null while events are still queued.</summary>
    public long? BookmarkVersion() => _store.BookmarkVersion(this);

    /// <inheritdoc/>
    public void Dispose()
    {
        _store.Unsubscribe(this);
        _events.Writer.TryComplete();
    }

    internal void Fail(JsonObject status)
    {
        Error = status;
        _events.Writer.TryComplete();
    }

    internal void Offer(StoreEvent change)
    {
        var now = Selected(change.Item);
        var before = change.Previous is not null && Selected(change.Previous);
        var type = change.Type switch
        {
            "MODIFIED" when now && !before => "ADDED",
            "MODIFIED" when !now && before => "DELETED",
            "MODIFIED" when now => "MODIFIED",
            "ADDED" when now => "ADDED",
            "DELETED" when now || before => "DELETED",
            _ => null,
        };
        if (type is not null)
        {
            _events.Writer.TryWrite((type, change));
        }
    }

    private bool Selected(JsonObject obj) => (_namespace is null || ObjectMeta.Namespace(obj) == _namespace) && _filter(obj);
}
