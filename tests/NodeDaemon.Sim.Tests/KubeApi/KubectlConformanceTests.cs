using System.Text.Json.Nodes;
using NodeDaemon.Sim.Harness;
using NodeDaemon.Sim.KubeApi;
using NodeDaemon.Sim.KubeApi.Store;

namespace NodeDaemon.Sim.Tests.KubeApi;

/// <summary>Real kubectl against the test API server: the commands an operator and the daemon's design rely on.</summary>
public sealed class KubectlConformanceTests : IAsyncLifetime
{
    private static readonly TimeSpan _timeout = TimeSpan.FromSeconds(60);
    private TestApiServer _server = null!;

    public async Task InitializeAsync() => _server = await Cluster.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Get_nodes_and_one_node_as_json()
    {
        var (code, output) = await Kubectl.RunAsync(_server.KubeconfigPath, _timeout, "get", "nodes", "-o", "json");
        Assert.True(code == 0, output);
        var list = JsonNode.Parse(output)!;
        Assert.Equal(["node-a", "node-b", "node-c"], list["items"]!.AsArray().Select(n => (string)n!["metadata"]!["name"]!));

        (code, output) = await Kubectl.RunAsync(_server.KubeconfigPath, _timeout, "get", "node", "node-b", "-o", "json");
        Assert.True(code == 0, output);
        var node = JsonNode.Parse(output)!;
        Assert.Equal("Node", (string?)node["kind"]);
        Assert.Equal(ObjectMeta.Uid(_server.Store.Get(ResourceTypes.Nodes, null, "node-b")!), (string?)node["metadata"]!["uid"]);

        (code, output) = await Kubectl.RunAsync(_server.KubeconfigPath, _timeout, "get", "node", "nope", "-o", "json");
        Assert.NotEqual(0, code);
        Assert.Contains("Error from server (NotFound): nodes \"nope\" not found", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Annotate_and_label_a_node_then_remove_the_annotation()
    {
        var (code, output) = await Kubectl.RunAsync(_server.KubeconfigPath, _timeout, "annotate", "node", "node-a", "nodedaemon.io/desired-image=quay.io/x@sha256:ab");
        Assert.True(code == 0, output);
        Assert.Contains("node/node-a annotated", output, StringComparison.Ordinal);
        Assert.Equal("quay.io/x@sha256:ab", (string?)Node("node-a")["metadata"]!["annotations"]!["nodedaemon.io/desired-image"]);

        (code, output) = await Kubectl.RunAsync(_server.KubeconfigPath, _timeout, "label", "node", "node-a", "pool=canary");
        Assert.True(code == 0, output);
        Assert.Contains("node/node-a labeled", output, StringComparison.Ordinal);
        Assert.Equal("canary", (string?)Node("node-a")["metadata"]!["labels"]!["pool"]);

        (code, output) = await Kubectl.RunAsync(_server.KubeconfigPath, _timeout, "annotate", "node", "node-a", "nodedaemon.io/desired-image-");
        Assert.True(code == 0, output);
        Assert.Null(Node("node-a")["metadata"]!["annotations"]?["nodedaemon.io/desired-image"]);
        Assert.Equal(3, _server.Requests["patch nodes"]);
    }

    [Fact]
    public async Task Cordon_and_uncordon()
    {
        var (code, output) = await Kubectl.RunAsync(_server.KubeconfigPath, _timeout, "cordon", "node-c");
        Assert.True(code == 0, output);
        Assert.Contains("node/node-c cordoned", output, StringComparison.Ordinal);
        Assert.Equal("true", Node("node-c")["spec"]!["unschedulable"]!.ToJsonString());

        (code, output) = await Kubectl.RunAsync(_server.KubeconfigPath, _timeout, "cordon", "node-c");
        Assert.True(code == 0, output);
        Assert.Contains("node/node-c already cordoned", output, StringComparison.Ordinal);

        (code, output) = await Kubectl.RunAsync(_server.KubeconfigPath, _timeout, "uncordon", "node-c");
        Assert.True(code == 0, output);
        Assert.Contains("node/node-c uncordoned", output, StringComparison.Ordinal);
        Assert.Null(Node("node-c")["spec"]!["unschedulable"]);
    }

    [Fact]
    public async Task Drain_waits_for_the_budget_and_replacements_then_succeeds()
    {
        var before = _server.Store.List(ResourceTypes.Pods, "shop").ToDictionary(p => ObjectMeta.Name(p)!, p => ObjectMeta.Uid(p)!);

        var (code, output) = await Kubectl.RunAsync(_server.KubeconfigPath, _timeout,
            "drain", "node-a", "--ignore-daemonsets", "--delete-emptydir-data", "--timeout=60s");

        Assert.True(code == 0, output);
        var lines = output.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("node/node-a cordoned", lines[0]);
        Assert.Contains("Warning: ignoring DaemonSet-managed Pods: kube-system/node-agent-x7k2p", lines);
        foreach (var pod in new[] { "web-7d9f8c6b5-abcde", "web-7d9f8c6b5-fghij", "cache-0" })
        {
            Assert.Contains($"evicting pod shop/{pod}", lines);
            Assert.Contains($"pod/{pod} evicted", lines);
        }

        // Only one web pod may go at first (minAvailable 2 of 3); the other is refused once, then goes after its replacement is Ready.
        var refused = Assert.Single(lines, l => l.StartsWith("error when evicting pods/", StringComparison.Ordinal));
        Assert.Matches("""^error when evicting pods/"web-7d9f8c6b5-(abcde|fghij)" -n "shop" \(will retry after 5s\): Cannot evict pod as it would violate the pod's disruption budget\.$""", refused);
        var refusedPod = refused.Split('"')[1];
        var otherWeb = refusedPod.EndsWith("abcde", StringComparison.Ordinal) ? "web-7d9f8c6b5-fghij" : "web-7d9f8c6b5-abcde";
        Assert.True(Array.IndexOf(lines, $"pod/{otherWeb} evicted") < Array.LastIndexOf(lines, $"pod/{refusedPod} evicted"), output);
        Assert.Equal("node/node-a drained", lines[^1]);

        // DaemonSet and mirror pods stay; the others were replaced elsewhere with new uids.
        var pods = _server.Store.List(ResourceTypes.Pods);
        Assert.Equal(["etcd-node-a", "node-agent-x7k2p"], pods.Where(p => (string?)p["spec"]!["nodeName"] == "node-a").Select(p => ObjectMeta.Name(p)!).Order());
        var shop = pods.Where(p => ObjectMeta.Namespace(p) == "shop").ToList();
        Assert.Equal(4, shop.Count);
        Assert.All(shop, p => Assert.NotEqual("node-a", (string?)p["spec"]!["nodeName"]));
        var cache = Assert.Single(shop, p => ObjectMeta.Name(p) == "cache-0");
        Assert.NotEqual(before["cache-0"], ObjectMeta.Uid(cache));
        Assert.Equal(3, shop.Count(p => ObjectMeta.Name(p)!.StartsWith("web-7d9f8c6b5-", StringComparison.Ordinal)));
        Assert.DoesNotContain(shop, p => ObjectMeta.Name(p) is "web-7d9f8c6b5-abcde" or "web-7d9f8c6b5-fghij");
        Assert.Equal(4, _server.Requests["create pods/eviction"]); // three pods, one refused once
        Assert.Equal("true", Node("node-a")["spec"]!["unschedulable"]!.ToJsonString());
    }

    private JsonObject Node(string name) => _server.Store.Get(ResourceTypes.Nodes, null, name)!;
}
