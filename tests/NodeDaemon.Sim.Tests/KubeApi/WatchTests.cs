using System.Text.Json.Nodes;
using NodeDaemon.Sim.KubeApi;
using NodeDaemon.Sim.KubeApi.Store;

namespace NodeDaemon.Sim.Tests.KubeApi;

/// <summary>Node watches over HTTP: order, field selector, bookmarks, timeoutSeconds and 410 for an expired resourceVersion.</summary>
public sealed class WatchTests : IAsyncLifetime
{
    private TestApiServer _server = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await Cluster.StartAsync(Cluster.Fast with { BookmarkInterval = TimeSpan.FromMilliseconds(200), HistoryLimit = 20 });
        _client = Cluster.Client(_server);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Events_after_the_resource_version_arrive_in_order_for_the_selected_node_only()
    {
        var list = await Cluster.GetAsync(_client, "/api/v1/nodes?fieldSelector=metadata.name%3Dnode-a");
        var rv = (string)list["metadata"]!["resourceVersion"]!;
        Assert.Equal("node-a", (string?)Assert.Single(list["items"]!.AsArray())!["metadata"]!["name"]);

        await using var watch = await WatchStream.OpenAsync(_client, $"/api/v1/nodes?watch=true&fieldSelector=metadata.name%3Dnode-a&resourceVersion={rv}&timeoutSeconds=10");
        Annotate("node-b", "x", "1");
        Annotate("node-a", "step", "1");
        Annotate("node-a", "step", "2");

        var first = await watch.NextAsync();
        var second = await watch.NextAsync();
        Assert.Equal(("MODIFIED", "1"), ((string)first["type"]!, (string?)first["object"]!["metadata"]!["annotations"]!["step"]));
        Assert.Equal(("MODIFIED", "2"), ((string)second["type"]!, (string?)second["object"]!["metadata"]!["annotations"]!["step"]));
        Assert.True(long.Parse((string)first["object"]!["metadata"]!["resourceVersion"]!) < long.Parse((string)second["object"]!["metadata"]!["resourceVersion"]!));
        Assert.Equal(1, _server.Requests["watch nodes"]);
    }

    [Fact]
    public async Task Without_a_resource_version_the_watch_starts_with_the_current_objects()
    {
        await using var watch = await WatchStream.OpenAsync(_client, "/api/v1/watch/nodes?timeoutSeconds=10");
        var names = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var e = await watch.NextAsync();
            Assert.Equal("ADDED", (string?)e["type"]);
            names.Add((string)e["object"]!["metadata"]!["name"]!);
        }

        Assert.Equal(["node-a", "node-b", "node-c"], names);
    }

    [Fact]
    public async Task Bookmarks_carry_only_the_resource_version()
    {
        var rv = _server.Store.ResourceVersion;
        await using var watch = await WatchStream.OpenAsync(_client, $"/api/v1/nodes?watch=true&resourceVersion={rv}&allowWatchBookmarks=true&timeoutSeconds=10");
        var bookmark = await watch.NextAsync();
        Assert.Equal("BOOKMARK", (string?)bookmark["type"]);
        var meta = bookmark["object"]!["metadata"]!.AsObject();
        Assert.Equal(["resourceVersion"], meta.Select(p => p.Key));
        Assert.Equal(rv.ToString(System.Globalization.CultureInfo.InvariantCulture), (string?)meta["resourceVersion"]);
    }

    [Fact]
    public async Task The_server_closes_the_stream_after_timeoutSeconds()
    {
        var started = DateTime.UtcNow;
        await using var watch = await WatchStream.OpenAsync(_client, $"/api/v1/nodes?watch=true&resourceVersion={_server.Store.ResourceVersion}&timeoutSeconds=1");
        Assert.Null(await watch.NextOrEndAsync(TimeSpan.FromSeconds(5)));
        var elapsed = DateTime.UtcNow - started;
        Assert.InRange(elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(4));
    }

    [Fact]
    public async Task A_resource_version_older_than_the_history_is_an_ERROR_with_410_Expired()
    {
        var old = _server.Store.ResourceVersion;
        for (var i = 0; i < 25; i++)
        {
            Annotate("node-c", "n", i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        await using var watch = await WatchStream.OpenAsync(_client, $"/api/v1/nodes?watch=true&resourceVersion={old}&timeoutSeconds=10");
        var error = await watch.NextAsync();
        Assert.Equal("ERROR", (string?)error["type"]);
        var status = error["object"]!;
        Assert.Equal("Status", (string?)status["kind"]);
        Assert.Equal(410, (int)status["code"]!);
        Assert.Equal("Expired", (string?)status["reason"]);
        Assert.StartsWith($"too old resource version: {old} (", (string?)status["message"], StringComparison.Ordinal);
        Assert.Null(await watch.NextOrEndAsync(TimeSpan.FromSeconds(5)));

        // The client's recovery: re-list, then watch from the list's resourceVersion.
        var rv = (string)(await Cluster.GetAsync(_client, "/api/v1/nodes"))["metadata"]!["resourceVersion"]!;
        await using var again = await WatchStream.OpenAsync(_client, $"/api/v1/nodes?watch=true&resourceVersion={rv}&timeoutSeconds=10");
        Annotate("node-c", "after", "relist");
        Assert.Equal("MODIFIED", (string?)(await again.NextAsync())["type"]);
    }

    [Fact]
    public async Task A_pod_leaving_the_selection_is_DELETED_and_deletion_is_DELETED()
    {
        await using var watch = await WatchStream.OpenAsync(_client,
            $"/api/v1/pods?watch=true&fieldSelector=spec.nodeName%3Dnode-b&resourceVersion={_server.Store.ResourceVersion}&timeoutSeconds=10");
        _server.Terminator.Delete("shop", "web-7d9f8c6b5-klmno", 0);
        var gone = await watch.NextAsync();
        Assert.Equal(("DELETED", "web-7d9f8c6b5-klmno"), ((string)gone["type"]!, (string)gone["object"]!["metadata"]!["name"]!));
    }

    private void Annotate(string node, string key, string value) =>
        _server.Store.Update(ResourceTypes.Nodes, null, node, n =>
        {
            var meta = ObjectMeta.Metadata(n);
            var annotations = meta["annotations"] as JsonObject ?? [];
            annotations[key] = value;
            meta["annotations"] = annotations;
            return n;
        });
}
