using System.Text.Json.Nodes;
using NodeDaemon.Sim.KubeApi.Store;

namespace NodeDaemon.Sim.Tests.KubeApi;

/// <summary>metadata.managedFields as kube-apiserver keeps them for Update operations, and the count of writes without a field manager.</summary>
public sealed class ManagedFieldsTests : ClusterTest
{
    private static async Task<JsonObject> Send(HttpClient client, HttpMethod method, string path, string json, string contentType, string? userAgent = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(json, System.Text.Encoding.UTF8) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        if (userAgent is not null)
        {
            request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        }

        using var response = await client.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode}");
        return await Cluster.JsonAsync(response);
    }

    private static JsonObject Entry(JsonObject obj, string manager) =>
        obj["metadata"]!["managedFields"]!.AsArray().OfType<JsonObject>().Single(e => (string?)e["manager"] == manager);

    [Fact]
    public async Task A_named_manager_gets_one_Update_entry_with_the_fields_it_wrote()
    {
        await Send(Client, HttpMethod.Patch, "/api/v1/nodes/node-a?fieldManager=nodedaemon", """{"metadata":{"annotations":{"a":"1"}}}""", "application/merge-patch+json");
        var node = await Send(Client, HttpMethod.Patch, "/api/v1/nodes/node-a?fieldManager=nodedaemon", """{"spec":{"unschedulable":true}}""", "application/merge-patch+json");

        var entry = Entry(node, "nodedaemon");
        Assert.Equal(("Update", "v1", "FieldsV1"), ((string?)entry["operation"], (string?)entry["apiVersion"], (string?)entry["fieldsType"]));
        Assert.Equal(ObjectMeta.Timestamp(Server.Store.Time.GetUtcNow()), (string?)entry["time"]);
        Assert.Equal("""{"f:metadata":{"f:annotations":{"f:a":{}}},"f:spec":{"f:unschedulable":{}}}""", entry["fieldsV1"]!.ToJsonString());
        Assert.Single(node["metadata"]!["managedFields"]!.AsArray(), e => (string?)e!["manager"] == "nodedaemon");
        Assert.Empty(Server.Requests.Unmanaged());
    }

    [Fact]
    public async Task Without_fieldManager_the_manager_is_the_user_agent_prefix_and_the_write_is_counted_unmanaged()
    {
        var node = await Send(Client, HttpMethod.Patch, "/api/v1/nodes/node-a", """{"metadata":{"annotations":{"b":"2"}}}""", "application/merge-patch+json",
            "kubectl-annotate/v1.31.0 (linux/amd64) kubernetes/abc");
        var lease = await Send(Client, HttpMethod.Post, "/apis/coordination.k8s.io/v1/namespaces/default/leases",
            """{"metadata":{"name":"l"},"spec":{"holderIdentity":"x"}}""", "application/json", "nodedaemon/1.0.0");

        Assert.Equal("Update", (string?)Entry(node, "kubectl-annotate")["operation"]);
        Assert.Equal("coordination.k8s.io/v1", (string?)Entry(lease, "nodedaemon")["apiVersion"]);
        Assert.Equal(new Dictionary<string, int> { ["kubectl-annotate patch nodes"] = 1, ["nodedaemon create leases"] = 1 }, Server.Requests.Unmanaged());
    }
}
