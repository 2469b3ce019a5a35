using System.Net;
using NodeDaemon.Core.Cluster;
using NodeDaemon.Kubernetes.Api;
using NodeDaemon.Kubernetes.Credentials;

namespace NodeDaemon.Kubernetes.Tests.Credentials;

/// <summary>The TokenRequest on the wire (kube-apiserver's authentication.k8s.io/v1 TokenRequest), over a hand-written transport.</summary>
public sealed class TokenRequestClientTests
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    [Fact]
    public async Task AsksForTheSameNodeBindingWithTheCurrentToken()
    {
        var current = TestTokens.Token(TestTokens.Epoch, Hour, "worker-1", "uid-1");
        var server = new FakeTokenServer();
        var next = TestTokens.Jwt(TestTokens.Epoch.AddMinutes(48), Hour, "worker-1", "uid-1", serial: "2");
        server.AnswerToken(next, TestTokens.Epoch.AddMinutes(108));
        using var api = new KubeApi(server, new Uri("https://api.test:6443/"), TimeSpan.FromSeconds(5), new BearerTokenSource(current));

        var issued = await new TokenRequestClient(api).IssueAsync(current, 3600, CancellationToken.None);

        var request = Assert.Single(server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.StartsWith("/api/v1/namespaces/nodedaemon/serviceaccounts/nodedaemon/token", request.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal($"Bearer {current.Value}", request.Authorization);
        Assert.Equal("""{"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest","spec":{"expirationSeconds":3600,"boundObjectRef":{"apiVersion":"v1","kind":"Node","name":"worker-1","uid":"uid-1"}}}""",
            request.Body!.ToJsonString());
        Assert.Equal(next, issued.Value);
        Assert.Equal((TestTokens.Epoch.AddMinutes(48), TestTokens.Epoch.AddMinutes(108)), (issued.IssuedAt, issued.ExpiresAt));
    }

    [Fact]
    public async Task AnOpaqueTokenTakesItsLifeFromTheStatus()
    {
        var current = TestTokens.Token(TestTokens.Epoch, Hour);
        var server = new FakeTokenServer();
        server.AnswerToken("opaque-token", TestTokens.Epoch.AddHours(2), seconds: 3600);
        using var api = new KubeApi(server, new Uri("https://api.test/"), TimeSpan.FromSeconds(5), new BearerTokenSource(current));

        var issued = await new TokenRequestClient(api).IssueAsync(current, 3600, CancellationToken.None);

        Assert.Equal(("opaque-token", TestTokens.Epoch.AddHours(1), TestTokens.Epoch.AddHours(2)), (issued.Value, issued.IssuedAt, issued.ExpiresAt));
        Assert.True(issued.SameIdentity(current));
    }

    [Theory]
    [InlineData(HttpStatusCode.Forbidden, """{"kind":"Status","status":"Failure","message":"serviceaccounts \"nodedaemon\" is forbidden: cannot create resource \"serviceaccounts/token\"","code":403}""", "forbidden")]
    [InlineData(HttpStatusCode.Conflict, """{"kind":"Status","status":"Failure","message":"the UID in the bound object reference (uid-a) does not match the UID in record. The object might have been deleted and then recreated","code":409}""", "recreated")]
    [InlineData(HttpStatusCode.Created, """{"kind":"TokenRequest","status":{}}""", "no token")]
    public async Task ARefusalOrAnAnswerWithoutATokenIsAClusterError(HttpStatusCode code, string body, string said)
    {
        var current = TestTokens.Token(TestTokens.Epoch, Hour);
        var server = new FakeTokenServer();
        server.Answer(code, body);
        using var api = new KubeApi(server, new Uri("https://api.test/"), TimeSpan.FromSeconds(5), new BearerTokenSource(current));

        var error = await Assert.ThrowsAsync<ClusterException>(() => new TokenRequestClient(api).IssueAsync(current, 3600, CancellationToken.None));

        Assert.Contains(said, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(current.Value, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryRequestCarriesTheSourcesCurrentToken()
    {
        var first = TestTokens.Token(TestTokens.Epoch, Hour, serial: "1");
        var second = TestTokens.Token(TestTokens.Epoch.AddMinutes(48), Hour, serial: "2");
        var source = new BearerTokenSource(first);
        var server = new FakeTokenServer();
        server.Answer(HttpStatusCode.OK, "{}");
        server.Answer(HttpStatusCode.OK, "{}");
        using var api = new KubeApi(server, new Uri("https://api.test/"), TimeSpan.FromSeconds(5), source);

        await api.SendAsync(HttpMethod.Get, "api/v1/nodes/node-a", null, KubePaths.Json, CancellationToken.None);
        source.Replace(second);
        await api.SendAsync(HttpMethod.Get, "api/v1/nodes/node-a", null, KubePaths.Json, CancellationToken.None);

        Assert.Equal([$"Bearer {first.Value}", $"Bearer {second.Value}"], server.Requests.Select(r => r.Authorization));
    }
}
