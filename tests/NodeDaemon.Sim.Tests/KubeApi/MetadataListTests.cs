using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using NodeDaemon.Sim.KubeApi.Store;

namespace NodeDaemon.Sim.Tests.KubeApi;

/// <summary>Lists served metadata-only when the Accept header asks for a PartialObjectMetadataList, as client-go's metadata client does.</summary>
public sealed class MetadataListTests : ClusterTest
{
    // client-go metadata.Client.List (staging/src/k8s.io/client-go/metadata/metadata.go), protobuf first.
    private const string ClientGoMetadataList =
        "application/vnd.kubernetes.protobuf;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json";

    // kubectl get: a Table first, the typed list as the fallback.
    private const string KubectlGet = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";

    [Fact]
    public async Task A_metadata_list_carries_only_kind_apiVersion_and_metadata_of_each_object()
    {
        var list = await ListAsync("/api/v1/pods", ClientGoMetadataList);

        Assert.Equal("PartialObjectMetadataList", (string?)list["kind"]);
        Assert.Equal("meta.k8s.io/v1", (string?)list["apiVersion"]);
        Assert.Equal(Server.Store.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), (string?)list["metadata"]!["resourceVersion"]);
        var stored = Server.Store.List(ResourceTypes.Pods);
        var items = list["items"]!.AsArray();
        Assert.Equal(stored.Count, items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i]!.AsObject();
            Assert.Equal(["kind", "apiVersion", "metadata"], item.Select(p => p.Key));
            Assert.Equal("PartialObjectMetadata", (string?)item["kind"]);
            Assert.Equal("meta.k8s.io/v1", (string?)item["apiVersion"]);
            Assert.True(JsonNode.DeepEquals(stored[i]["metadata"], item["metadata"]), $"{item["metadata"]}");
        }

        Assert.Equal(1, Server.Requests.MetadataOnly("list pods"));
        Assert.Equal(1, Server.Requests["list pods"]);
    }

    [Fact]
    public async Task Selectors_narrow_a_metadata_list_as_they_narrow_the_typed_one()
    {
        var list = await ListAsync("/api/v1/nodes?labelSelector=kubernetes.io%2Fhostname%3Dnode-b", "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1");

        var item = Assert.Single(list["items"]!.AsArray())!;
        Assert.Equal("node-b", (string?)item["metadata"]!["name"]);
        Assert.Equal("node-b", (string?)item["metadata"]!["labels"]!["kubernetes.io/hostname"]);
    }

    [Theory]
    [InlineData(null, "PodList")]
    [InlineData("application/json", "PodList")]
    [InlineData("*/*", "PodList")]
    [InlineData(KubectlGet, "PodList")]
    [InlineData("application/yaml,application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1", "PartialObjectMetadataList")]
    [InlineData("application/json;q=0.5,application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1", "PartialObjectMetadataList")]
    [InlineData("application/json;as=PartialObjectMetadataList;g=example.com;v=v1,application/json", "PodList")]
    public async Task The_first_servable_clause_by_preference_decides(string? accept, string kind)
    {
        var list = await ListAsync("/api/v1/pods", accept);

        Assert.Equal(kind, (string?)list["kind"]);
        var first = list["items"]!.AsArray()[0]!.AsObject();
        Assert.Equal(kind == "PodList", first.ContainsKey("spec"));
    }

    [Fact]
    public async Task A_single_object_metadata_view_asked_for_on_a_list_is_406_NotAcceptable_as_on_the_real_server()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/nodes");
        request.Headers.TryAddWithoutValidation("Accept", "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1");
        using var response = await Client.SendAsync(request);

        Assert.Equal(406, (int)response.StatusCode);
        var status = await Cluster.JsonAsync(response);
        Assert.Equal("NotAcceptable", (string?)status["reason"]);
        Assert.Equal("you requested PartialObjectMetadata, but the requested object is a list (*core.NodeList)", (string?)status["message"]);
    }

    private async Task<JsonObject> ListAsync(string path, string? accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        using var response = await Client.SendAsync(request);
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(new MediaTypeHeaderValue("application/json"), response.Content.Headers.ContentType);
        return await Cluster.JsonAsync(response);
    }
}
