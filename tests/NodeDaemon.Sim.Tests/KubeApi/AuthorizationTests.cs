using System.Net.Http.Headers;
using NodeDaemon.Sim.KubeApi;
using NodeDaemon.Sim.KubeApi.Auth;

namespace NodeDaemon.Sim.Tests.KubeApi;

/// <summary>The authorization mode: tokens name users, docs/rbac.yaml decides, refusals are the real server's 401 and 403.</summary>
public sealed class AuthorizationTests : IAsyncLifetime
{
    private static readonly ApiUser Daemon = ApiUser.ServiceAccount("nodedaemon", "nodedaemon");
    private TestApiServer _server = null!;

    public async Task InitializeAsync() => _server = await Cluster.StartAsync(Cluster.Fast with { Authorization = ApiAuthorization.Shipped() });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    // What the daemon does, everywhere it does it.
    [InlineData("get", "", "nodes", null, "", "worker-1", true)]
    [InlineData("list", "", "nodes", null, "", "worker-1", true)]
    [InlineData("watch", "", "nodes", null, "", "worker-1", true)]
    [InlineData("patch", "", "nodes", null, "", "worker-1", true)]
    [InlineData("list", "", "pods", null, "", "", true)]
    [InlineData("watch", "", "pods", null, "", "", true)]
    [InlineData("get", "", "pods", null, "shop", "web-1", true)]
    [InlineData("create", "", "pods", "eviction", "shop", "web-1", true)]
    [InlineData("create", "", "events", null, "default", "", true)]
    [InlineData("patch", "", "events", null, "default", "worker-1.abc", true)]
    [InlineData("list", "policy", "poddisruptionbudgets", null, "shop", "", true)]
    [InlineData("list", "coordination.k8s.io", "leases", null, "nodedaemon", "", true)]
    [InlineData("watch", "coordination.k8s.io", "leases", null, "nodedaemon", "", true)]
    [InlineData("update", "coordination.k8s.io", "leases", null, "nodedaemon", "slot-0", true)]
    [InlineData("create", "", "serviceaccounts", "token", "nodedaemon", "nodedaemon", true)]
    // Its conditions (OSUpdateProgressing, OSUpdateDegraded) go to the status subresource.
    [InlineData("patch", "", "nodes", "status", "", "worker-1", true)]
    // What it must not do.
    [InlineData("delete", "", "pods", null, "shop", "web-1", false)]
    [InlineData("update", "", "nodes", null, "", "worker-1", false)]
    [InlineData("update", "", "nodes", "status", "", "worker-1", false)]
    [InlineData("create", "events.k8s.io", "events", null, "default", "", false)]
    [InlineData("list", "apps", "daemonsets", null, "", "", false)]
    [InlineData("get", "", "secrets", null, "nodedaemon", "token", false)]
    [InlineData("delete", "coordination.k8s.io", "leases", null, "nodedaemon", "slot-0", false)]
    // The Leases Role is bound in its namespace only.
    [InlineData("update", "coordination.k8s.io", "leases", null, "kube-node-lease", "worker-1", false)]
    [InlineData("list", "coordination.k8s.io", "leases", null, "", "", false)]
    // Tokens of its own account only, in its own namespace only.
    [InlineData("create", "", "serviceaccounts", "token", "nodedaemon", "default", false)]
    [InlineData("create", "", "serviceaccounts", "token", "kube-system", "nodedaemon", false)]
    [InlineData("get", "", "serviceaccounts", null, "nodedaemon", "nodedaemon", false)]
    public void The_shipped_manifest_grants_the_daemon_what_it_does_and_nothing_more(string verb, string group, string resource, string? sub, string ns, string name, bool allowed)
    {
        var request = new RequestAttributes(verb, group, resource, sub, ns, name, "/");

        Assert.Equal(allowed, _server.Authorization!.Policy.Allows(Daemon, request));
        Assert.True(_server.Authorization.Policy.Allows(ApiUser.Admin, request));
    }

    [Fact]
    public async Task A_refused_request_is_403_with_the_real_servers_Status()
    {
        using var client = Client(NodeToken("node-a"));

        using var delete = await client.DeleteAsync("/api/v1/namespaces/shop/pods/web-7d9f8c6b5-abcde");
        Assert.Equal(403, (int)delete.StatusCode);
        Assert.Equal(
            """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"pods \"web-7d9f8c6b5-abcde\" is forbidden: User \"system:serviceaccount:nodedaemon:nodedaemon\" cannot delete resource \"pods\" in API group \"\" in the namespace \"shop\"","reason":"Forbidden","details":{"name":"web-7d9f8c6b5-abcde","kind":"pods"},"code":403}""",
            await delete.Content.ReadAsStringAsync());

        using var list = await client.GetAsync("/apis/apps/v1/daemonsets");
        Assert.Equal(403, (int)list.StatusCode);
        Assert.Equal(
            """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"daemonsets.apps is forbidden: User \"system:serviceaccount:nodedaemon:nodedaemon\" cannot list resource \"daemonsets\" in API group \"apps\" at the cluster scope","reason":"Forbidden","details":{"group":"apps","kind":"daemonsets"},"code":403}""",
            await list.Content.ReadAsStringAsync());

        // A list narrowed to one name by metadata.name is authorized (and refused) as that name.
        using var leases = await client.GetAsync("/apis/coordination.k8s.io/v1/namespaces/default/leases?fieldSelector=metadata.name%3Dslot-0");
        Assert.Equal(403, (int)leases.StatusCode);
        Assert.Contains("""leases.coordination.k8s.io \"slot-0\" is forbidden""", await leases.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(1, _server.Requests.Errors()["delete pods 403"]);
    }

    [Fact]
    public async Task What_the_manifest_grants_is_served_and_the_admin_may_do_anything()
    {
        using var daemon = Client(NodeToken("node-a"));
        using var admin = Client(Kubeconfig.Token);

        Assert.Equal(200, (int)(await daemon.GetAsync("/api/v1/pods?fieldSelector=spec.nodeName%3Dnode-a")).StatusCode);
        Assert.Equal(200, (int)(await daemon.GetAsync("/api")).StatusCode);
        Assert.Equal(200, (int)(await admin.GetAsync("/apis/apps/v1/daemonsets")).StatusCode);
        Assert.Equal(200, (int)(await admin.DeleteAsync("/api/v1/namespaces/shop/pods/web-7d9f8c6b5-abcde")).StatusCode);
    }

    [Fact]
    public async Task An_unknown_token_is_401_and_no_token_is_the_anonymous_user()
    {
        using var stranger = Client("who-knows");
        using var anonymous = Cluster.Client(_server);

        using var unknown = await stranger.GetAsync("/api/v1/nodes");
        Assert.Equal(401, (int)unknown.StatusCode);
        Assert.Equal("""{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}""",
            await unknown.Content.ReadAsStringAsync());
        using var nobody = await anonymous.GetAsync("/api/v1/nodes");
        Assert.Equal(403, (int)nobody.StatusCode);
        Assert.Contains("User \\\"system:anonymous\\\" cannot list resource \\\"nodes\\\"", await nobody.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_daemons_kubeconfig_carries_a_token_bound_to_its_own_node()
    {
        var kubeconfig = _server.DaemonKubeconfig("node-a");
        var token = kubeconfig.Split('\n').Single(l => l.Trim().StartsWith("token: ", StringComparison.Ordinal)).Trim()["token: ".Length..];

        Assert.Equal(3, token.Split('.').Length);
        var claims = _server.Authorization!.Tokens.Read(token)!;
        Assert.Equal(("nodedaemon", "nodedaemon", "node-a"), (claims.Namespace, claims.ServiceAccount, claims.NodeName));
        Assert.Equal(_server.Store.Get(NodeDaemon.Sim.KubeApi.Store.ResourceTypes.Nodes, null, "node-a")!["metadata"]!["uid"]!.GetValue<string>(), claims.NodeUid);
        Assert.Contains($"token: {Kubeconfig.Token}", File.ReadAllText(_server.KubeconfigPath), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_old_shared_service_account_token_is_refused()
    {
        using var shared = Client("serviceaccount-nodedaemon-nodedaemon");

        using var patch = await Cluster.SendAsync(shared, HttpMethod.Patch, "/api/v1/nodes/node-a", """{"metadata":{"annotations":{"nodedaemon.io/state":"Done"}}}""",
            "application/merge-patch+json");
        Assert.Equal(401, (int)patch.StatusCode);
    }

    private string NodeToken(string node) => _server.Authorization!.MintDaemonToken(_server.Store, node, TimeSpan.FromHours(1));

    private HttpClient Client(string token)
    {
        var client = Cluster.Client(_server);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}

