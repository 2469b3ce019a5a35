using NodeDaemon.Sim.KubeApi;

namespace NodeDaemon.Sim.Tests.KubeApi;

/// <summary>A list's <c>limit</c> and <c>continue</c>: pages in name order, as kube-apiserver pages from etcd.</summary>
public sealed class ListPageTests : IAsyncLifetime
{
    private TestApiServer _server = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await Cluster.StartAsync(Cluster.Fast);
        _client = Cluster.Client(_server);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task A_limit_answers_that_many_in_name_order_and_continue_answers_the_rest()
    {
        var first = await Cluster.GetAsync(_client, "/api/v1/nodes?limit=2");
        var token = (string?)first["metadata"]!["continue"];
        var rest = await Cluster.GetAsync(_client, $"/api/v1/nodes?limit=2&continue={Uri.EscapeDataString(token!)}");

        Assert.Equal(["node-a", "node-b"], first["items"]!.AsArray().Select(i => (string)i!["metadata"]!["name"]!));
        Assert.Equal(["node-c"], rest["items"]!.AsArray().Select(i => (string)i!["metadata"]!["name"]!));
        Assert.Null(rest["metadata"]!["continue"]);
        Assert.Equal(3, _server.Requests.Listed("list nodes"));
    }

    [Fact]
    public async Task Without_a_limit_or_with_zero_the_list_is_whole()
    {
        var zero = await Cluster.GetAsync(_client, "/api/v1/nodes?limit=0");

        Assert.Equal(3, zero["items"]!.AsArray().Count);
        Assert.Null(zero["metadata"]!["continue"]);
    }
}
