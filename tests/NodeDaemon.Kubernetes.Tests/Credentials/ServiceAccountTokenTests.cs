using NodeDaemon.Kubernetes.Credentials;

namespace NodeDaemon.Kubernetes.Tests.Credentials;

/// <summary>Reading a service-account JWT's claims, and refusing what is not one.</summary>
public sealed class ServiceAccountTokenTests
{
    [Fact]
    public void ReadsTheNodeBindingAndTheLife()
    {
        var token = ServiceAccountToken.TryParse(TestTokens.Jwt(TestTokens.Epoch, TimeSpan.FromHours(1), "worker-3", "u-3"));

        Assert.NotNull(token);
        Assert.Equal(("nodedaemon", "nodedaemon", "worker-3", "u-3"), (token.Namespace, token.ServiceAccount, token.NodeName, token.NodeUid));
        Assert.Equal((TestTokens.Epoch, TestTokens.Epoch.AddHours(1)), (token.IssuedAt, token.ExpiresAt));
    }

    [Theory]
    [InlineData("")]
    [InlineData("nodedaemon-sim-token")]                       // a static token
    [InlineData("a.b.c")]                                     // not base64url JSON
    [InlineData("eyJhbGciOiJub25lIn0.eyJpYXQiOjF9.c2ln")]     // {"iat":1}: no exp, no kubernetes.io
    [InlineData("eyJhbGciOiJub25lIn0.eyJpYXQiOjEwLCJleHAiOjUsImt1YmVybmV0ZXMuaW8iOnsibmFtZXNwYWNlIjoibiIsInNlcnZpY2VhY2NvdW50Ijp7Im5hbWUiOiJzIn19fQ.c2ln")] // exp before iat
    public void RefusesWhatIsNotAServiceAccountTokenWithALife(string text) => Assert.Null(ServiceAccountToken.TryParse(text));

    [Fact]
    public void AnUnboundTokenNamesNoNode()
    {
        var token = ServiceAccountToken.TryParse(TestTokens.Jwt(TestTokens.Epoch, TimeSpan.FromHours(1), node: ""));

        Assert.NotNull(token);
        Assert.Equal("", token.NodeName);
        Assert.Contains("bound to no Node", token.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void ItsTextNeverCarriesTheCredential()
    {
        var token = TestTokens.Token(TestTokens.Epoch, TimeSpan.FromHours(1));

        Assert.DoesNotContain(token.Value, token.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(token.Value.Split('.')[1], token.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("node-a", "uid-a", true)]
    [InlineData("node-a", "", true)]          // a uid is compared only when both carry one
    [InlineData("node-a", "uid-new", false)]  // the Node was deleted and made again
    [InlineData("node-b", "uid-a", false)]
    public void SameIdentityMeansTheSameNodeObject(string node, string uid, bool same) =>
        Assert.Equal(same, TestTokens.Token(TestTokens.Epoch, TimeSpan.FromHours(1)).SameIdentity(TestTokens.Token(TestTokens.Epoch, TimeSpan.FromHours(1), node, uid)));
}
