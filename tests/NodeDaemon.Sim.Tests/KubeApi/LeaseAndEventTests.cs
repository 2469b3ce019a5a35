using System.Text.Json.Nodes;
using NodeDaemon.Sim.KubeApi;

namespace NodeDaemon.Sim.Tests.KubeApi;

/// <summary>Leases (the mutual-exclusion primitive) and Events in both API groups.</summary>
public sealed class LeaseAndEventTests : ClusterTest
{
    private const string Leases = "/apis/coordination.k8s.io/v1/namespaces/nodedaemon/leases";
    protected override JsonObject Seed
    {
        get
        {
            var seed = Cluster.DrainSeed();
            seed["items"]!.AsArray().Add(JsonNode.Parse("""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"nodedaemon"}}"""));
            return seed;
        }
    }

    [Fact]
    public async Task Lease_create_get_update_delete_with_409s()
    {
        const string lease = """{"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"slot-0"},"spec":{"holderIdentity":"node-a","leaseDurationSeconds":60,"acquireTime":"2026-11-25T12:00:00.000000Z","renewTime":"2026-11-25T12:00:00.000000Z","leaseTransitions":0}}""";
        JsonObject created;
        using (var response = await Cluster.SendAsync(Client, HttpMethod.Post, Leases, lease))
        {
            Assert.Equal(201, (int)response.StatusCode);
            created = await Cluster.JsonAsync(response);
            Assert.Equal("nodedaemon", (string?)created["metadata"]!["namespace"]);
        }

        using (var duplicate = await Cluster.SendAsync(Client, HttpMethod.Post, Leases, lease))
        {
            Assert.Equal(409, (int)duplicate.StatusCode);
            Assert.Equal(
                """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"leases.coordination.k8s.io \"slot-0\" already exists","reason":"AlreadyExists","details":{"name":"slot-0","group":"coordination.k8s.io","kind":"leases"},"code":409}""",
                await duplicate.Content.ReadAsStringAsync());
        }

        var renewed = created.DeepClone().AsObject();
        renewed["spec"]!["renewTime"] = "2026-11-25T12:00:10.000000Z";
        using (var update = await Cluster.SendAsync(Client, HttpMethod.Put, $"{Leases}/slot-0", renewed.ToJsonString()))
        {
            Assert.Equal(200, (int)update.StatusCode);
        }

        var stale = created.DeepClone().AsObject();
        stale["spec"]!["holderIdentity"] = "node-b";
        using (var conflict = await Cluster.SendAsync(Client, HttpMethod.Put, $"{Leases}/slot-0", stale.ToJsonString()))
        {
            Assert.Equal(409, (int)conflict.StatusCode);
            Assert.Equal("Operation cannot be fulfilled on leases.coordination.k8s.io \"slot-0\": the object has been modified; please apply your changes to the latest version and try again",
                (string?)(await Cluster.JsonAsync(conflict))["message"]);
        }

        Assert.Equal("node-a", (string?)(await Cluster.GetAsync(Client, $"{Leases}/slot-0"))["spec"]!["holderIdentity"]);
        Assert.Single((await Cluster.GetAsync(Client, Leases))["items"]!.AsArray());
        using (var delete = await Client.DeleteAsync($"{Leases}/slot-0"))
        {
            Assert.Equal(200, (int)delete.StatusCode);
            Assert.Equal("Success", (string?)(await Cluster.JsonAsync(delete))["status"]);
        }

        await Cluster.GetAsync(Client, $"{Leases}/slot-0", 404);
    }

    [Fact]
    public async Task Core_events_are_created_patched_and_listed_and_events_k8s_io_too()
    {
        const string ev = """{"apiVersion":"v1","kind":"Event","metadata":{"name":"node-a.1"},"involvedObject":{"kind":"Node","name":"node-a","uid":"u"},"reason":"Staging","message":"pulling","type":"Normal","source":{"component":"nodedaemon"},"firstTimestamp":"2026-11-25T12:00:00Z","lastTimestamp":"2026-11-25T12:00:00Z","count":1}""";
        using (var created = await Cluster.SendAsync(Client, HttpMethod.Post, "/api/v1/namespaces/default/events", ev))
        {
            Assert.Equal(201, (int)created.StatusCode);
        }

        using (var patched = await Cluster.SendAsync(Client, HttpMethod.Patch, "/api/v1/namespaces/default/events/node-a.1",
            """{"count":2,"lastTimestamp":"2026-11-25T12:01:00Z"}""", "application/strategic-merge-patch+json"))
        {
            Assert.Equal(200, (int)patched.StatusCode);
        }

        var list = await Cluster.GetAsync(Client, "/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3Dnode-a");
        var stored = Assert.Single(list["items"]!.AsArray())!;
        Assert.Equal((2, "2026-11-25T12:01:00Z"), ((int)stored["count"]!, (string?)stored["lastTimestamp"]));

        using (var v1 = await Cluster.SendAsync(Client, HttpMethod.Post, "/apis/events.k8s.io/v1/namespaces/default/events",
            """{"apiVersion":"events.k8s.io/v1","kind":"Event","metadata":{"generateName":"node-a."},"eventTime":"2026-11-25T12:00:00.000000Z","regarding":{"kind":"Node","name":"node-a"},"reason":"Drained","note":"done","type":"Normal","action":"Drain","reportingController":"nodedaemon.io/daemon","reportingInstance":"node-a"}"""))
        {
            Assert.Equal(201, (int)v1.StatusCode);
            Assert.StartsWith("node-a.", (string?)(await Cluster.JsonAsync(v1))["metadata"]!["name"], StringComparison.Ordinal);
        }

        Assert.Single((await Cluster.GetAsync(Client, "/apis/events.k8s.io/v1/events"))["items"]!.AsArray());

        using var missingNs = await Cluster.SendAsync(Client, HttpMethod.Post, "/api/v1/namespaces/nope/events", ev);
        Assert.Equal(404, (int)missingNs.StatusCode);
        Assert.Equal("namespaces \"nope\" not found", (string?)(await Cluster.JsonAsync(missingNs))["message"]);
    }

    [Fact]
    public async Task Requests_are_counted_by_verb_and_resource_in_process_and_at_the_debug_endpoint()
    {
        await Cluster.GetAsync(Client, "/api/v1/nodes/node-a");
        await Cluster.GetAsync(Client, "/api/v1/nodes");
        using (await Cluster.SendAsync(Client, HttpMethod.Patch, "/api/v1/nodes/node-a", """{"metadata":{"labels":{"a":"b"}}}""", "application/merge-patch+json"))
        {
        }

        using (await Cluster.SendAsync(Client, HttpMethod.Post, "/api/v1/namespaces/shop/pods/cache-0/eviction", """{"metadata":{"name":"cache-0"}}"""))
        {
        }

        Assert.Equal(1, Server.Requests["get nodes"]);
        Assert.Equal(1, Server.Requests["list nodes"]);
        Assert.Equal(1, Server.Requests["patch nodes"]);
        Assert.Equal(1, Server.Requests["create pods/eviction"]);
        var counts = await Cluster.GetAsync(Client, "/debug/requests");
        Assert.Equal(1, (int)counts["create pods/eviction"]!);
        Assert.False(counts.ContainsKey("get /debug/requests"));

        using (await Client.DeleteAsync("/debug/requests"))
        {
        }

        Assert.Empty(Server.Requests.Snapshot());
    }
}
