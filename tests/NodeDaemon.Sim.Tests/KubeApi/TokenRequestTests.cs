using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using NodeDaemon.Sim.KubeApi;
using NodeDaemon.Sim.KubeApi.Auth;
using NodeDaemon.Sim.KubeApi.Store;

namespace NodeDaemon.Sim.Tests.KubeApi;

/// <summary>Per-node identities: the TokenRequest endpoint mints tokens bound to a Node, the server accepts them until they
/// expire by its clock and while their Node exists, and a daemon may mint only tokens for its own Node.</summary>
public sealed class TokenRequestTests : IAsyncLifetime
{
    private const string TokenPath = "/api/v1/namespaces/nodedaemon/serviceaccounts/nodedaemon/token";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 5, 10, 0, 0, TimeSpan.Zero));
    private TestApiServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await Cluster.StartAsync(Cluster.Fast with { Time = _time, Authorization = ApiAuthorization.Shipped() });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task The_admin_mints_a_node_bound_JWT_that_authenticates_as_the_daemon_on_that_node()
    {
        using var admin = Client(Kubeconfig.Token);

        using var response = await RequestAsync(admin, "node-b", 7200);
        Assert.Equal(201, (int)response.StatusCode);
        var answer = await Cluster.JsonAsync(response);
        Assert.Equal("TokenRequest", (string?)answer["kind"]);
        Assert.Equal("authentication.k8s.io/v1", (string?)answer["apiVersion"]);
        Assert.Equal("2026-12-05T12:00:00Z", (string?)answer["status"]!["expirationTimestamp"]);
        var token = (string)answer["status"]!["token"]!;
        var payload = Payload(token);
        Assert.Equal("system:serviceaccount:nodedaemon:nodedaemon", (string?)payload["sub"]);
        Assert.Equal(7200, (long)payload["exp"]! - (long)payload["iat"]!);
        Assert.Equal("node-b", (string?)payload["kubernetes.io"]!["node"]!["name"]);
        Assert.Equal(Uid("node-b"), (string?)payload["kubernetes.io"]!["node"]!["uid"]);
        Assert.Equal("nodedaemon", (string?)payload["kubernetes.io"]!["serviceaccount"]!["name"]);

        var user = _server.Authorization!.Authenticate(token, _server.Store)!;
        Assert.Equal("system:serviceaccount:nodedaemon:nodedaemon", user.Name);
        Assert.Equal(["node-b"], user.Extra[ApiUser.NodeNameKey]);
        Assert.Equal([Uid("node-b")], user.Extra[ApiUser.NodeUidKey]);
    }

    [Fact]
    public async Task A_token_is_refused_once_it_expires_by_the_servers_clock()
    {
        using var daemon = Client(_server.Authorization!.MintDaemonToken(_server.Store, "node-a", TimeSpan.FromMinutes(10)));

        _time.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(1));
        Assert.Equal(200, (int)(await daemon.GetAsync("/api/v1/nodes/node-a")).StatusCode);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(401, (int)(await daemon.GetAsync("/api/v1/nodes/node-a")).StatusCode);
    }

    [Fact]
    public async Task A_token_is_refused_once_its_node_is_deleted()
    {
        using var daemon = Client(_server.Authorization!.MintDaemonToken(_server.Store, "node-c", TimeSpan.FromHours(1)));

        _server.Store.Remove(ResourceTypes.Nodes, null, "node-c");

        Assert.Equal(401, (int)(await daemon.GetAsync("/api/v1/nodes/node-a")).StatusCode);
    }

    [Fact]
    public async Task A_token_bound_to_a_node_that_does_not_exist_is_refused_as_upstream_refuses_it()
    {
        using var admin = Client(Kubeconfig.Token);

        using var missing = await RequestAsync(admin, "node-z");
        Assert.Equal(404, (int)missing.StatusCode);
        Assert.Equal("""nodes "node-z" not found""", (string?)(await Cluster.JsonAsync(missing))["message"]);

        using var recreated = await RequestAsync(admin, "node-a", uid: "0000-old-uid");
        Assert.Equal(409, (int)recreated.StatusCode);
        Assert.StartsWith("Operation cannot be fulfilled on Node \"node-a\": the UID in the bound object reference (0000-old-uid) does not match",
            (string?)(await Cluster.JsonAsync(recreated))["message"], StringComparison.Ordinal);

        using var tooShort = await RequestAsync(admin, "node-a", 599);
        Assert.Equal(422, (int)tooShort.StatusCode);
    }

    [Fact]
    public async Task A_daemon_rotates_its_own_token_and_cannot_mint_one_for_another_node()
    {
        using var daemon = Client(_server.Authorization!.MintDaemonToken(_server.Store, "node-a", TimeSpan.FromHours(1)));

        using var own = await RequestAsync(daemon, "node-a");
        Assert.Equal(201, (int)own.StatusCode);

        using var other = await RequestAsync(daemon, "node-b");
        Assert.Equal(403, (int)other.StatusCode);
        Assert.Equal(
            "serviceaccounts \"nodedaemon\" is forbidden: ValidatingAdmissionPolicy 'nodedaemon-own-token' with binding 'nodedaemon-own-token' denied request: the daemon may request only tokens bound to its own Node",
            (string?)(await Cluster.JsonAsync(other))["message"]);

        using var unbound = await Cluster.SendAsync(daemon, HttpMethod.Post, TokenPath, """{"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest","spec":{}}""");
        Assert.Equal(403, (int)unbound.StatusCode);
    }

    private static Task<HttpResponseMessage> RequestAsync(HttpClient client, string node, long? seconds = null, string? uid = null)
    {
        var reference = new JsonObject { ["kind"] = "Node", ["apiVersion"] = "v1", ["name"] = node };
        if (uid is not null)
        {
            reference["uid"] = uid;
        }

        var spec = new JsonObject { ["boundObjectRef"] = reference };
        if (seconds is { } s)
        {
            spec["expirationSeconds"] = s;
        }

        var body = new JsonObject { ["apiVersion"] = "authentication.k8s.io/v1", ["kind"] = "TokenRequest", ["spec"] = spec };
        return Cluster.SendAsync(client, HttpMethod.Post, TokenPath, body.ToJsonString());
    }

    private string Uid(string node) => (string)_server.Store.Get(ResourceTypes.Nodes, null, node)!["metadata"]!["uid"]!;

    private static JsonObject Payload(string token)
    {
        var part = token.Split('.')[1].Replace('-', '+').Replace('_', '/');
        return JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(part + new string('=', (4 - (part.Length % 4)) % 4))))!.AsObject();
    }

    private HttpClient Client(string token)
    {
        var client = Cluster.Client(_server);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
