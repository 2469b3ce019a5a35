using Microsoft.Extensions.Time.Testing;
using NodeDaemon.Core.Diagnostics;
using NodeDaemon.Kubernetes.Api;
using NodeDaemon.Kubernetes.Credentials;
using NodeDaemon.Sim.KubeApi;

namespace NodeDaemon.Kubernetes.Tests.Credentials;

/// <summary>What a start authenticates with: the kubeconfig's bootstrap token, the kept rotated one, or a clear refusal.</summary>
public sealed class NodeCredentialsTests : IDisposable
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private readonly string _directory = Directory.CreateTempSubdirectory("nodedaemon-credentials-").FullName;
    private readonly FakeTimeProvider _time = new(TestTokens.Epoch);
    private readonly TestLogger _log;

    public NodeCredentialsTests(ITestOutputHelper output) => _log = new TestLogger(output);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void ANodeBoundBootstrapTokenIsUsedAndRotated()
    {
        var bootstrap = TestTokens.Jwt(TestTokens.Epoch, Hour);

        using var credentials = Open(bootstrap, "node-a");

        Assert.NotNull(credentials);
        Assert.Equal(bootstrap, credentials.Source.Current.Value);
        var loaded = Assert.Single(_log.Lines, l => l.Contains($" {(int)LogEventId.CredentialsLoaded} ", StringComparison.Ordinal));
        Assert.Contains("system:serviceaccount:nodedaemon:nodedaemon bound to Node node-a", loaded, StringComparison.Ordinal);
        Assert.DoesNotContain(bootstrap, loaded, StringComparison.Ordinal);
    }

    [Fact]
    public void TheKeptRotatedTokenWinsWhenTheBootstrapOneExpired()
    {
        var kept = TestTokens.Token(TestTokens.Epoch.AddMinutes(50), Hour, serial: "kept");
        new TokenStore(_directory).Save(kept);
        _time.Advance(TimeSpan.FromMinutes(70));

        using var credentials = Open(TestTokens.Jwt(TestTokens.Epoch, Hour), "node-a");

        Assert.Equal(kept.Value, credentials?.Source.Current.Value);
    }

    [Fact]
    public void EveryTokenExpiredIsAClearStartError()
    {
        new TokenStore(_directory).Save(TestTokens.Token(TestTokens.Epoch.AddMinutes(30), Hour));
        _time.Advance(TimeSpan.FromHours(3));

        var error = Assert.Throws<InvalidOperationException>(() => Open(TestTokens.Jwt(TestTokens.Epoch, Hour), "node-a"));

        Assert.Contains("expired", error.Message, StringComparison.Ordinal);
        Assert.Contains("install a new bootstrap token", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ATokenBoundToAnotherNodeIsRefused()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Open(TestTokens.Jwt(TestTokens.Epoch, Hour, "node-b"), "node-a"));

        Assert.Contains("bound to Node node-b", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("static")]
    [InlineData("unbound")]
    public void AnythingButANodeBoundTokenIsUsedAsItIsAndSaidSo(string kind)
    {
        var token = kind == "static" ? Kubeconfig.Token : TestTokens.Jwt(TestTokens.Epoch, Hour, node: "");

        Assert.Null(Open(token, "node-a"));
        Assert.Contains(_log.Lines, l => l.Contains($" {(int)LogEventId.CredentialsNotRotated} ", StringComparison.Ordinal));
    }

    [Fact]
    public void AnUnreadableKeptTokenIsIgnoredNotFatal()
    {
        Directory.CreateDirectory(Path.Combine(_directory, TokenStore.FileName));

        using var credentials = Open(TestTokens.Jwt(TestTokens.Epoch, Hour), "node-a");

        Assert.NotNull(credentials);
        Assert.Contains(_log.Lines, l => l.Contains($" {(int)LogEventId.TokenNotKept} ", StringComparison.Ordinal));
    }

    private NodeCredentials? Open(string token, string node)
    {
        var kubeconfig = Path.Combine(_directory, "kubeconfig");
        Kubeconfig.Write(kubeconfig, new Uri("http://127.0.0.1:1/"), token);
        return NodeCredentials.Open(kubeconfig, node, _directory, new ApiTransportOptions(), _time, _log, NoApiRequestObserver.Instance);
    }
}
