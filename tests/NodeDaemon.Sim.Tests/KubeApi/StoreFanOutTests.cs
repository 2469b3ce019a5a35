using System.Text.Json.Nodes;
using NodeDaemon.Sim.KubeApi.Store;

namespace NodeDaemon.Sim.Tests.KubeApi;

/// <summary>
/// What a write costs the store in a 2,000-node pool: a node's write reaches only the watches that can select it (not
/// every node's watch of its own Node), and one copy of the written object serves the store, the event and the next
/// write's previous state.
/// </summary>
public sealed class StoreFanOutTests
{
    private const int Nodes = 50;

    [Fact]
    public void A_node_write_is_offered_only_to_the_watches_that_name_that_node()
    {
        var store = Pool();
        var filtered = new Dictionary<string, int>(StringComparer.Ordinal);
        var watches = new List<WatchSubscription>();
        for (var i = 0; i < Nodes; i++)
        {
            var name = Name(i);
            filtered[name] = 0;
            watches.Add(store.Watch(ResourceTypes.Nodes, null, store.ResourceVersion, o =>
            {
                filtered[name]++;
                return ObjectMeta.Name(o) == name;
            }, name));
        }

        Annotate(store, Name(7), "step", "1");
        Annotate(store, Name(7), "step", "2");

        Assert.Equal(4, filtered[Name(7)]);
        Assert.All(filtered.Where(f => f.Key != Name(7)), f => Assert.Equal(0, f.Value));
        Assert.Equal(2, watches[7].Events.Count);
        Assert.All(watches.Where((_, i) => i != 7), w => Assert.Equal(0, w.Events.Count));
        watches.ForEach(w => w.Dispose());
    }

    [Fact]
    public void A_watch_that_names_no_object_still_sees_every_write_of_its_resource()
    {
        var store = Pool();
        using var all = store.Watch(ResourceTypes.Nodes, null, store.ResourceVersion, _ => true);
        using var one = store.Watch(ResourceTypes.Nodes, null, store.ResourceVersion, o => ObjectMeta.Name(o) == Name(3), Name(3));

        Annotate(store, Name(3), "a", "1");
        Annotate(store, Name(4), "a", "1");
        one.Dispose();
        Annotate(store, Name(3), "a", "2");

        Assert.Equal(3, all.Events.Count);
        Assert.Equal(1, one.Events.Count);
    }

    [Fact]
    public void A_write_stores_one_copy_that_its_event_and_the_next_writes_previous_state_share()
    {
        var store = Pool();
        var seen = new List<StoreEvent>();
        store.AddReactor(new Recorder(seen));

        Annotate(store, Name(1), "a", "1");
        Annotate(store, Name(1), "a", "2");

        Assert.Equal(2, seen.Count);
        Assert.Same(seen[0].Item, seen[1].Previous);
        Assert.Equal("1", (string?)seen[1].Previous!["metadata"]!["annotations"]!["a"]);
        var copy = store.Get(ResourceTypes.Nodes, null, Name(1))!;
        Assert.NotSame(seen[1].Item, copy);
        copy["metadata"]!["annotations"]!["a"] = "changed by a caller";
        Assert.Equal("2", (string?)store.Get(ResourceTypes.Nodes, null, Name(1))!["metadata"]!["annotations"]!["a"]);
    }

    [Fact]
    public async Task Authentication_reads_a_nodes_uid_while_a_write_holds_the_store()
    {
        var store = Pool();
        var uid = ObjectMeta.Uid(store.Get(ResourceTypes.Nodes, null, Name(2))!);
        using var inside = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        store.AddReactor(new Holding(inside, release));
        var write = Task.Run(() => Annotate(store, Name(5), "hold", "yes"));
        Assert.True(inside.Wait(TimeSpan.FromSeconds(30)));

        // A write (or a controller) holds the store's lock now; every request's authentication must not wait for it.
        var read = Task.Run(() => store.Uid(ResourceTypes.Nodes, null, Name(2)));
        var finished = await Task.WhenAny(read, Task.Delay(TimeSpan.FromSeconds(10))) == read;
        release.Set();
        await write;
        Assert.True(finished);
        Assert.Equal(uid, await read);
        Assert.Null(store.Uid(ResourceTypes.Nodes, null, "node-gone"));
    }

    private static ObjectStore Pool()
    {
        var store = new ObjectStore(TimeProvider.System);
        for (var i = 0; i < Nodes; i++)
        {
            store.Create(ResourceTypes.Nodes, new JsonObject { ["metadata"] = new JsonObject { ["name"] = Name(i) } });
        }

        return store;
    }

    private static string Name(int i) => $"node-{i:D3}";

    private static void Annotate(ObjectStore store, string node, string key, string value) =>
        store.Update(ResourceTypes.Nodes, null, node, n =>
        {
            var meta = ObjectMeta.Metadata(n);
            var annotations = meta["annotations"] as JsonObject ?? [];
            meta["annotations"] = annotations;
            annotations[key] = value;
            return n;
        });

    /// <summary>Holds the store's lock inside a write until released.</summary>
    private sealed class Holding(ManualResetEventSlim inside, ManualResetEventSlim release) : IStoreReactor
    {
        public void OnChange(ObjectStore store, StoreEvent change)
        {
            inside.Set();
            release.Wait(TimeSpan.FromSeconds(60));
        }
    }

    /// <summary>Records every change the store reports.</summary>
    private sealed class Recorder(List<StoreEvent> seen) : IStoreReactor
    {
        public void OnChange(ObjectStore store, StoreEvent change) => seen.Add(change);
    }
}
