using System.Text.Json.Nodes;
using NodeDaemon.Sim.KubeApi;
using NodeDaemon.Sim.KubeApi.Store;

namespace NodeDaemon.Sim.Tests.KubeApi;

/// <summary>The PATCH types the simulator's clients send, PUT with resourceVersion, and the Status bodies of conflicts.</summary>
public sealed class WriteTests : ClusterTest
{
    [Fact]
    public async Task Merge_patch_sets_and_null_removes_an_annotation_and_bumps_the_resource_version()
    {
        var before = Server.Store.ResourceVersion;
        var node = await Patch("/api/v1/nodes/node-a", """{"metadata":{"annotations":{"nodedaemon.io/state":"Working","keep":"yes"}}}""", "application/merge-patch+json");
        Assert.Equal("Working", (string?)node["metadata"]!["annotations"]!["nodedaemon.io/state"]);
        Assert.Equal((before + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), (string?)node["metadata"]!["resourceVersion"]);

        node = await Patch("/api/v1/nodes/node-a", """{"metadata":{"annotations":{"nodedaemon.io/state":null}}}""", "application/merge-patch+json");
        Assert.False(node["metadata"]!["annotations"]!.AsObject().ContainsKey("nodedaemon.io/state"));
        Assert.Equal("yes", (string?)node["metadata"]!["annotations"]!["keep"]);
    }

    [Fact]
    public async Task A_patch_naming_a_stale_resource_version_is_409_Conflict()
    {
        using var response = await Cluster.SendAsync(Client, HttpMethod.Patch, "/api/v1/nodes/node-a",
            """{"metadata":{"resourceVersion":"1","annotations":{"a":"b"}}}""", "application/merge-patch+json");
        Assert.Equal(409, (int)response.StatusCode);
        Assert.Equal(
            """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Operation cannot be fulfilled on nodes \"node-a\": the object has been modified; please apply your changes to the latest version and try again","reason":"Conflict","details":{"name":"node-a","kind":"nodes"},"code":409}""",
            await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Strategic_merge_patch_cordons_and_uncordons_as_kubectl_sends_it()
    {
        var node = await Patch("/api/v1/nodes/node-b", """{"spec":{"unschedulable":true}}""", "application/strategic-merge-patch+json");
        Assert.Equal("true", node["spec"]!["unschedulable"]!.ToJsonString());

        node = await Patch("/api/v1/nodes/node-b", """{"spec":{"unschedulable":null}}""", "application/strategic-merge-patch+json");
        Assert.Null(node["spec"]!["unschedulable"]);
    }

    [Theory]
    [InlineData("""{"metadata":{"finalizers":["example.com/keep"]}}""", "application/strategic-merge-patch+json")]
    [InlineData("""{"status":{"conditions":[{"type":"OSUpdateDegraded","status":"False","$patch":"delete"}]}}""", "application/strategic-merge-patch+json")]
    [InlineData("""{"spec":{"unschedulable":true},"$setElementOrder/conditions":[{"type":"Ready"}]}""", "application/strategic-merge-patch+json")]
    [InlineData("""[{"op":"remove","path":"/spec/unschedulable"}]""", "application/json-patch+json")]
    public async Task A_patch_no_client_of_the_simulator_sends_is_415_and_changes_nothing(string body, string contentType)
    {
        var before = Server.Store.ResourceVersion;

        using var response = await Cluster.SendAsync(Client, HttpMethod.Patch, "/api/v1/nodes/node-b", body, contentType);

        Assert.Equal(415, (int)response.StatusCode);
        Assert.Equal("UnsupportedMediaType", (string?)(await Cluster.JsonAsync(response))["reason"]);
        Assert.Equal(before, Server.Store.ResourceVersion);
    }

    [Fact]
    public async Task A_strategic_merge_patch_of_nodes_status_merges_conditions_by_type_and_keeps_the_kubelets()
    {
        var node = await Patch("/api/v1/nodes/node-a/status",
            """{"status":{"conditions":[{"type":"OSUpdateProgressing","status":"True","reason":"Staging"},{"type":"OSUpdateDegraded","status":"False","reason":"AsExpected"}]}}""",
            "application/strategic-merge-patch+json");
        Assert.Equal(["Ready", "OSUpdateProgressing", "OSUpdateDegraded"], Types(node));

        node = await Patch("/api/v1/nodes/node-a/status",
            """{"status":{"conditions":[{"type":"OSUpdateProgressing","status":"False","reason":"UpToDate"}]}}""", "application/strategic-merge-patch+json");

        Assert.Equal(["Ready", "OSUpdateProgressing", "OSUpdateDegraded"], Types(node));
        var progressing = node["status"]!["conditions"]!.AsArray().Single(c => (string?)c!["type"] == "OSUpdateProgressing")!;
        Assert.Equal("False", (string?)progressing["status"]);
        Assert.Equal("UpToDate", (string?)progressing["reason"]);
        Assert.Equal("True", (string?)node["status"]!["conditions"]![0]!["status"]);
    }

    [Fact]
    public async Task A_json_merge_patch_of_conditions_replaces_the_whole_list()
    {
        // Why the daemon sends a strategic merge patch: RFC 7386 replaces lists, the kubelet's Ready would be gone.
        var node = await Patch("/api/v1/nodes/node-a/status",
            """{"status":{"conditions":[{"type":"OSUpdateProgressing","status":"True"}]}}""", "application/merge-patch+json");

        Assert.Equal(["OSUpdateProgressing"], Types(node));
    }

    [Fact]
    public async Task A_status_write_keeps_the_spec_and_a_node_write_keeps_the_status()
    {
        var node = await Patch("/api/v1/nodes/node-a/status",
            """{"spec":{"unschedulable":true},"status":{"conditions":[{"type":"OSUpdateDegraded","status":"True"}]}}""", "application/strategic-merge-patch+json");
        Assert.Null(node["spec"]?["unschedulable"]);
        Assert.Contains("OSUpdateDegraded", Types(node));

        node = await Patch("/api/v1/nodes/node-a", """{"spec":{"unschedulable":true},"status":{"conditions":[]}}""", "application/merge-patch+json");
        Assert.Equal("true", node["spec"]!["unschedulable"]!.ToJsonString());
        Assert.Equal(["Ready", "OSUpdateDegraded"], Types(node));
    }

    private static string[] Types(JsonNode node) => [.. node["status"]!["conditions"]!.AsArray().Select(c => (string?)c!["type"] ?? "")];

    [Fact]
    public async Task Put_with_the_current_resource_version_succeeds_and_with_a_stale_one_is_409()
    {
        var node = await Cluster.GetAsync(Client, "/api/v1/nodes/node-a");
        var stale = node.DeepClone().AsObject();
        node["metadata"]!["labels"]!["pool"] = "blue";
        using (var ok = await Cluster.SendAsync(Client, HttpMethod.Put, "/api/v1/nodes/node-a", node.ToJsonString()))
        {
            Assert.Equal(200, (int)ok.StatusCode);
            var updated = await Cluster.JsonAsync(ok);
            Assert.Equal("blue", (string?)updated["metadata"]!["labels"]!["pool"]);
            Assert.Equal((string?)node["metadata"]!["uid"], (string?)updated["metadata"]!["uid"]);
        }

        stale["metadata"]!["labels"]!["pool"] = "green";
        using var conflict = await Cluster.SendAsync(Client, HttpMethod.Put, "/api/v1/nodes/node-a", stale.ToJsonString());
        Assert.Equal(409, (int)conflict.StatusCode);
        var status = await Cluster.JsonAsync(conflict);
        Assert.Equal("Conflict", (string?)status["reason"]);
        Assert.Equal("blue", (string?)Server.Store.Get(ResourceTypes.Nodes, null, "node-a")!["metadata"]!["labels"]!["pool"]);
    }

    [Fact]
    public async Task A_lease_put_must_name_a_version_and_a_put_of_a_deleted_lease_creates_it_again()
    {
        const string Path = "/apis/coordination.k8s.io/v1/namespaces/default/leases/slot-0";
        using (var created = await Cluster.SendAsync(Client, HttpMethod.Post, "/apis/coordination.k8s.io/v1/namespaces/default/leases",
            """{"metadata": {"name": "slot-0"}, "spec": {"holderIdentity": "node-a"}}"""))
        {
            Assert.Equal(201, (int)created.StatusCode);
        }

        var lease = await Cluster.GetAsync(Client, Path);
        var unversioned = lease.DeepClone().AsObject();
        unversioned["metadata"]!.AsObject().Remove("resourceVersion");
        using (var invalid = await Cluster.SendAsync(Client, HttpMethod.Put, Path, unversioned.ToJsonString()))
        {
            Assert.Equal(422, (int)invalid.StatusCode);
            Assert.Equal("Lease.coordination.k8s.io \"slot-0\" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update",
                (string?)(await Cluster.JsonAsync(invalid))["message"]);
        }

        Server.Store.Remove(ResourceTypes.Leases, "default", "slot-0");
        lease["spec"]!["holderIdentity"] = "node-b";
        using (var again = await Cluster.SendAsync(Client, HttpMethod.Put, Path, lease.ToJsonString()))
        {
            Assert.Equal(201, (int)again.StatusCode);
            var stored = await Cluster.JsonAsync(again);
            Assert.Equal("node-b", (string?)stored["spec"]!["holderIdentity"]);
            Assert.NotEqual((string?)lease["metadata"]!["uid"], (string?)stored["metadata"]!["uid"]);
        }

        using var stale = await Cluster.SendAsync(Client, HttpMethod.Put, Path, lease.ToJsonString());
        Assert.Equal(409, (int)stale.StatusCode);
    }

    [Fact]
    public async Task Objects_carry_uid_creation_timestamp_and_resource_version_and_unknown_ones_are_404()
    {
        var pod = await Cluster.GetAsync(Client, "/api/v1/namespaces/shop/pods/cache-0");
        Assert.False(string.IsNullOrEmpty((string?)pod["metadata"]!["uid"]));
        Assert.False(string.IsNullOrEmpty((string?)pod["metadata"]!["creationTimestamp"]));
        Assert.False(string.IsNullOrEmpty((string?)pod["metadata"]!["resourceVersion"]));
        Assert.Equal("Running", (string?)pod["status"]!["phase"]);

        using var missing = await Client.GetAsync("/api/v1/namespaces/shop/pods/nope");
        Assert.Equal(404, (int)missing.StatusCode);
        Assert.Equal("""{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"pods \"nope\" not found","reason":"NotFound","details":{"name":"nope","kind":"pods"},"code":404}""", await missing.Content.ReadAsStringAsync());
        await Cluster.GetAsync(Client, "/openapi/v2", 404);
        await Cluster.GetAsync(Client, "/openapi/v3", 404);
    }

    [Fact]
    public async Task Lists_filter_by_field_and_label_selectors()
    {
        var pods = await Cluster.GetAsync(Client, "/api/v1/pods?fieldSelector=spec.nodeName%3Dnode-a");
        Assert.Equal("PodList", (string?)pods["kind"]);
        Assert.Equal(5, pods["items"]!.AsArray().Count);
        var web = await Cluster.GetAsync(Client, "/api/v1/namespaces/shop/pods?labelSelector=app%3Dweb,pod-template-hash%20in%20(7d9f8c6b5)");
        Assert.Equal(3, web["items"]!.AsArray().Count);
        var nodes = await Cluster.GetAsync(Client, "/api/v1/nodes?labelSelector=kubernetes.io/hostname!%3Dnode-a");
        Assert.Equal(2, nodes["items"]!.AsArray().Count);
        var bad = await Cluster.GetAsync(Client, "/api/v1/nodes?fieldSelector=spec.foo%3Dx", 400);
        Assert.Equal("field label not supported: spec.foo", (string?)bad["message"]);
    }

    private async Task<JsonObject> Patch(string path, string body, string contentType)
    {
        using var response = await Cluster.SendAsync(Client, HttpMethod.Patch, path, body, contentType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(200 == (int)response.StatusCode, text);
        return JsonNode.Parse(text)!.AsObject();
    }
}
