using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using NodeDaemon.Core.Cluster;
using NodeDaemon.Core.Options;
using NodeDaemon.Sim.KubeApi;
using NodeDaemon.Sim.KubeApi.Auth;
using NodeDaemon.Sim.KubeApi.Store;

namespace NodeDaemon.Sim.Tests.KubeApi;

/// <summary>
/// docs/admission-policy.yaml as the test API server enforces it: node A's credential writes its own Node's outputs and
/// its pool's slot Leases, and nothing of another node's, no input annotation, no Lease of another pool. The admin is
/// not held to it.
/// </summary>
public sealed class AdmissionPolicyTests : IAsyncLifetime
{
    private const string MergePatch = "application/merge-patch+json";
    private TestApiServer _server = null!;
    private HttpClient _nodeA = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _server = await Cluster.StartAsync(Cluster.Fast with { Authorization = ApiAuthorization.Shipped() });
        _server.Store.Create(ResourceTypes.Namespaces, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "nodedaemon" } });
        // node-a and node-b are plain workers (the empty pool value); node-c is in the pool "gpu".
        _server.Store.Update(ResourceTypes.Nodes, null, "node-c", n =>
        {
            n["metadata"]!["labels"]!["node-role.kubernetes.io/worker"] = "gpu";
            return n;
        });
        _nodeA = Client(_server.Authorization!.MintDaemonToken(_server.Store, "node-a", TimeSpan.FromHours(1)));
        _admin = Client(Kubeconfig.Token);
    }

    public async Task DisposeAsync()
    {
        _nodeA.Dispose();
        _admin.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Node_A_writes_its_own_outputs_degraded_label_and_cordon()
    {
        using var response = await PatchNodeAsync(_nodeA, "node-a", """
            {"metadata":{"annotations":{"nodedaemon.io/state":"Degraded","nodedaemon.io/phase":"Draining","nodedaemon.io/reason":"x",
            "nodedaemon.io/message":"m","nodedaemon.io/cordoned-by":"nodedaemon","nodedaemon.io/rejected-image":"quay.io/a@sha256:1",
            "machineconfiguration.openshift.io/state":"Degraded"},"labels":{"nodedaemon.io/degraded":"true"}},"spec":{"unschedulable":true}}
            """);

        Assert.Equal(200, (int)response.StatusCode);
    }

    [Fact]
    public async Task Node_A_cannot_patch_node_B()
    {
        using var response = await PatchNodeAsync(_nodeA, "node-b", """{"metadata":{"annotations":{"nodedaemon.io/state":"Done"}}}""");

        Assert.Equal(403, (int)response.StatusCode);
        var status = await Cluster.JsonAsync(response);
        Assert.Equal(
            "nodes \"node-b\" is forbidden: ValidatingAdmissionPolicy 'nodedaemon-own-node' with binding 'nodedaemon-own-node' denied request: the daemon may write only the Node its token is bound to",
            (string?)status["message"]);
        Assert.Equal("Forbidden", (string?)status["reason"]);
        Assert.Equal("""{"name":"node-b","kind":"nodes","causes":[{"message":"ValidatingAdmissionPolicy 'nodedaemon-own-node' with binding 'nodedaemon-own-node' denied request: the daemon may write only the Node its token is bound to"}]}""",
            status["details"]!.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        Assert.Null(_server.Store.Get(ResourceTypes.Nodes, null, "node-b")!["metadata"]!["annotations"]?["nodedaemon.io/state"]);
    }

    [Theory]
    [InlineData("nodedaemon.io/desired-image")]
    [InlineData("nodedaemon.io/paused")]
    [InlineData("machineconfiguration.openshift.io/desiredImage")]
    public async Task Node_A_cannot_set_an_input_annotation_on_itself(string key)
    {
        var patch = new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [key] = "quay.io/evil/os@sha256:" + new string('e', 64) } } };
        using var response = await PatchNodeAsync(_nodeA, "node-a", patch.ToJsonString());

        Assert.Equal(403, (int)response.StatusCode);
        Assert.EndsWith("denied request: the daemon may change only its output annotations on its Node (never desired-image or paused)",
            (string?)(await Cluster.JsonAsync(response))["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Node_A_cannot_change_other_labels_or_spec_fields_of_itself()
    {
        using var label = await PatchNodeAsync(_nodeA, "node-a", """{"metadata":{"labels":{"node-role.kubernetes.io/worker":"gpu"}}}""");
        Assert.Equal(403, (int)label.StatusCode);

        using var taint = await PatchNodeAsync(_nodeA, "node-a", """{"spec":{"taints":[{"key":"k","effect":"NoSchedule"}]}}""");
        Assert.Equal(403, (int)taint.StatusCode);
        Assert.EndsWith("the daemon may change only spec.unschedulable in its Node's spec", (string?)(await Cluster.JsonAsync(taint))["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Node_A_takes_a_slot_of_its_own_pool_but_not_one_of_another_pool()
    {
        using var own = await PutLeaseAsync(_nodeA, "nodedaemon-" + EmptyPoolSegment() + "-0");
        Assert.Equal(201, (int)own.StatusCode);

        using var other = await PutLeaseAsync(_nodeA, "nodedaemon-gpu-0");
        Assert.Equal(403, (int)other.StatusCode);
        Assert.Equal(
            "leases.coordination.k8s.io \"nodedaemon-gpu-0\" is forbidden: ValidatingAdmissionPolicy 'nodedaemon-pool-leases' with binding 'nodedaemon-pool-leases' denied request: the daemon may write only the slot Leases of its own Node's pool",
            (string?)(await Cluster.JsonAsync(other))["message"]);

        // Nor one that exists already (an update), nor a name that only starts like its own pool's.
        using var created = await PutLeaseAsync(_admin, "nodedaemon-gpu-1");
        Assert.Equal(201, (int)created.StatusCode);
        var existing = await Cluster.JsonAsync(created);
        existing["spec"] = new JsonObject { ["holderIdentity"] = "node-a" };
        using var taken = await Cluster.SendAsync(_nodeA, HttpMethod.Put, "/apis/coordination.k8s.io/v1/namespaces/nodedaemon/leases/nodedaemon-gpu-1", existing.ToJsonString());
        Assert.Equal(403, (int)taken.StatusCode);
        using var lookalike = await PutLeaseAsync(_nodeA, "nodedaemon-" + EmptyPoolSegment() + "-gpu-0");
        Assert.Equal(403, (int)lookalike.StatusCode);
    }

    [Fact]
    public async Task Node_A_takes_a_staging_slot_of_its_own_pool_but_not_one_of_another_pool()
    {
        using var own = await PutLeaseAsync(_nodeA, "nodedaemon-" + EmptyPoolSegment() + "-s0");
        Assert.Equal(201, (int)own.StatusCode);

        using var other = await PutLeaseAsync(_nodeA, "nodedaemon-gpu-s0");
        Assert.Equal(403, (int)other.StatusCode);
        Assert.EndsWith("the daemon may write only the slot Leases of its own Node's pool", (string?)(await Cluster.JsonAsync(other))["message"], StringComparison.Ordinal);

        // Only 's' and digits after its own pool: not another suffix, not a bare 's'.
        using var bare = await PutLeaseAsync(_nodeA, "nodedaemon-" + EmptyPoolSegment() + "-s");
        Assert.Equal(403, (int)bare.StatusCode);
        using var lookalike = await PutLeaseAsync(_nodeA, "nodedaemon-" + EmptyPoolSegment() + "-x0");
        Assert.Equal(403, (int)lookalike.StatusCode);
    }

    [Theory]
    [InlineData("DELETE", "/api/v1/namespaces/shop/pods/web-7d9f8c6b5-abcde", null)]
    [InlineData("PUT", "/api/v1/nodes/node-a", """{"apiVersion":"v1","kind":"Node","metadata":{"name":"node-a"}}""")]
    [InlineData("DELETE", "/api/v1/nodes/node-a", null)]
    [InlineData("POST", "/api/v1/namespaces/shop/pods", """{"metadata":{"name":"p"},"spec":{"nodeName":"node-a"}}""")]
    public async Task Node_A_cannot_use_a_write_verb_the_manifest_does_not_grant(string method, string path, string? body)
    {
        using var response = await Cluster.SendAsync(_nodeA, new HttpMethod(method), path, body);

        Assert.Equal(403, (int)response.StatusCode);
        Assert.Contains("User \\\"system:serviceaccount:nodedaemon:nodedaemon\\\" cannot", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_admin_is_not_held_to_the_policy()
    {
        using var response = await PatchNodeAsync(_admin, "node-b", """{"metadata":{"annotations":{"nodedaemon.io/desired-image":"quay.io/a@sha256:1"}}}""");

        Assert.Equal(200, (int)response.StatusCode);
    }

    [Fact]
    public void The_policy_file_allows_exactly_the_keys_the_daemon_writes()
    {
        var policy = AdmissionPolicy.Load(AdmissionPolicy.ShippedPolicy);
        var prefix = NodeDaemonOptionsDefaults.AnnotationPrefix;
        var own = AnnotationKeys.For(AnnotationProtocol.NodeDaemon, prefix);
        var mco = AnnotationKeys.For(AnnotationProtocol.MachineConfigOperator, prefix);
        var written = own.Outputs.Concat(mco.Outputs).Append(prefix + "rejected-image").ToHashSet(StringComparer.Ordinal);

        Assert.Equal(written.Order(StringComparer.Ordinal), policy.AllowedAnnotations.Order(StringComparer.Ordinal));
        Assert.Equal([own.DegradedLabel, own.WaitingLabel], policy.AllowedLabels);
        Assert.DoesNotContain(own.DesiredImage, policy.AllowedAnnotations);
        Assert.DoesNotContain(own.Paused, policy.AllowedAnnotations);
        Assert.DoesNotContain(mco.DesiredImage, policy.AllowedAnnotations);
        Assert.Equal(NodeDaemonOptionsDefaults.PoolLabel, policy.PoolLabel);
        Assert.Equal(EmptyPoolSegment(), policy.EmptyPoolSegment);
        Assert.Equal("system:serviceaccount:nodedaemon:nodedaemon", policy.DaemonUser);
    }

    // SlotLeaseNames.Segment(""): the first 8 hex digits of the SHA-256 of the empty string.
    private static string EmptyPoolSegment() => Convert.ToHexStringLower(SHA256.HashData([]))[..8];

    private static Task<HttpResponseMessage> PatchNodeAsync(HttpClient client, string node, string patch) =>
        Cluster.SendAsync(client, HttpMethod.Patch, $"/api/v1/nodes/{node}", patch, MergePatch);

    private static Task<HttpResponseMessage> PutLeaseAsync(HttpClient client, string name) =>
        Cluster.SendAsync(client, HttpMethod.Put, $"/apis/coordination.k8s.io/v1/namespaces/nodedaemon/leases/{name}",
            new JsonObject
            {
                ["apiVersion"] = "coordination.k8s.io/v1",
                ["kind"] = "Lease",
                ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "nodedaemon" },
                ["spec"] = new JsonObject { ["holderIdentity"] = "node-a" },
            }.ToJsonString());

    private HttpClient Client(string token)
    {
        var client = Cluster.Client(_server);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
