using Microsoft.Extensions.Time.Testing;
using NodeDaemon.Sim.KubeApi;
using NodeDaemon.Sim.KubeApi.Store;

namespace NodeDaemon.Sim.Tests.KubeApi;

/// <summary>Graceful pod deletion and controller replacement, driven by a fake clock.</summary>
public sealed class DeletionTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
    private TestApiServer _server = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await Cluster.StartAsync(new TestApiServerOptions { Time = _time, ReplacementReadyDelay = TimeSpan.FromSeconds(10) });
        _client = Cluster.Client(_server);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Delete_marks_the_pod_and_removes_it_when_the_query_grace_period_ends()
    {
        using (var response = await _client.DeleteAsync("/api/v1/namespaces/shop/pods/cache-0?gracePeriodSeconds=20"))
        {
            Assert.Equal(200, (int)response.StatusCode);
            var pod = await Cluster.JsonAsync(response);
            Assert.Equal("2026-11-25T12:00:20Z", (string?)pod["metadata"]!["deletionTimestamp"]);
            Assert.Equal(20, (int)pod["metadata"]!["deletionGracePeriodSeconds"]!);
        }

        _time.Advance(TimeSpan.FromSeconds(19));
        await Cluster.GetAsync(_client, "/api/v1/namespaces/shop/pods/cache-0");
        _time.Advance(TimeSpan.FromSeconds(1));

        // A StatefulSet pod comes back under the same name once the old one is gone, with a new uid, on another node.
        var replacement = await Cluster.GetAsync(_client, "/api/v1/namespaces/shop/pods/cache-0");
        Assert.Null(replacement["metadata"]!["deletionTimestamp"]);
        Assert.Equal("Pending", (string?)replacement["status"]!["phase"]);
        Assert.NotEqual("node-a", (string?)replacement["spec"]!["nodeName"]);
        _time.Advance(TimeSpan.FromSeconds(10));
        var ready = await Cluster.GetAsync(_client, "/api/v1/namespaces/shop/pods/cache-0");
        Assert.Equal("Running", (string?)ready["status"]!["phase"]);
        Assert.Equal((string?)replacement["metadata"]!["uid"], (string?)ready["metadata"]!["uid"]);
    }

    [Fact]
    public async Task Delete_options_body_wins_and_the_pod_default_is_its_termination_grace_period()
    {
        using (var response = await Cluster.SendAsync(_client, HttpMethod.Delete, "/api/v1/namespaces/shop/pods/web-7d9f8c6b5-abcde",
            """{"kind":"DeleteOptions","apiVersion":"v1","gracePeriodSeconds":5}"""))
        {
            Assert.Equal(5, (int)(await Cluster.JsonAsync(response))["metadata"]!["deletionGracePeriodSeconds"]!);
        }

        using (var response = await _client.DeleteAsync("/api/v1/namespaces/shop/pods/web-7d9f8c6b5-fghij"))
        {
            Assert.Equal(30, (int)(await Cluster.JsonAsync(response))["metadata"]!["deletionGracePeriodSeconds"]!);
        }

        // A ReplicaSet replaces a pod as soon as it starts terminating, under a new name.
        Assert.Equal(5, _server.Store.List(ResourceTypes.Pods, "shop").Count(p => ObjectMeta.Name(p)!.StartsWith("web-", StringComparison.Ordinal)));
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.Null(_server.Store.Get(ResourceTypes.Pods, "shop", "web-7d9f8c6b5-abcde"));
        Assert.NotNull(_server.Store.Get(ResourceTypes.Pods, "shop", "web-7d9f8c6b5-fghij"));
        _time.Advance(TimeSpan.FromSeconds(25));
        Assert.Null(_server.Store.Get(ResourceTypes.Pods, "shop", "web-7d9f8c6b5-fghij"));
        Assert.Equal(3, _server.Store.List(ResourceTypes.Pods, "shop").Count(p => ObjectMeta.Name(p)!.StartsWith("web-", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_uid_precondition_that_does_not_match_is_409()
    {
        using var response = await Cluster.SendAsync(_client, HttpMethod.Delete, "/api/v1/namespaces/shop/pods/cache-0",
            """{"preconditions":{"uid":"not-the-uid"}}""");
        Assert.Equal(409, (int)response.StatusCode);
        Assert.StartsWith("Operation cannot be fulfilled on pods \"cache-0\": Precondition failed: UID in precondition: not-the-uid",
            (string?)(await Cluster.JsonAsync(response))["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_replacement_with_no_schedulable_node_stays_pending_until_one_is_uncordoned()
    {
        foreach (var node in new[] { "node-b", "node-c" })
        {
            _server.Store.Update(ResourceTypes.Nodes, null, node, n =>
            {
                n["spec"]!["unschedulable"] = true;
                return n;
            });
        }

        _server.Terminator.Delete("shop", "cache-0", 0);
        var pending = _server.Store.Get(ResourceTypes.Pods, "shop", "cache-0")!;
        Assert.Null(pending["spec"]!["nodeName"]);
        Assert.Equal("Pending", (string?)pending["status"]!["phase"]);

        using var uncordon = await Cluster.SendAsync(_client, HttpMethod.Patch, "/api/v1/nodes/node-c", """{"spec":{"unschedulable":null}}""", "application/strategic-merge-patch+json");
        Assert.Equal(200, (int)uncordon.StatusCode);
        Assert.Equal("node-c", (string?)_server.Store.Get(ResourceTypes.Pods, "shop", "cache-0")!["spec"]!["nodeName"]);
    }
}
