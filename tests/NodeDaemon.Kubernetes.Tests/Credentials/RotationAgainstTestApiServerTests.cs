using Microsoft.Extensions.Time.Testing;
using NodeDaemon.Kubernetes.Api;
using NodeDaemon.Kubernetes.Credentials;
using NodeDaemon.Sim.KubeApi;
using NodeDaemon.Sim.KubeApi.Auth;

namespace NodeDaemon.Kubernetes.Tests.Credentials;

/// <summary>End to end over real HTTP: the daemon's credentials against the test API server's TokenRequest endpoint,
/// with authentication, RBAC and the shipped admission policy on, the server and the rotator on one fake clock.</summary>
public sealed class RotationAgainstTestApiServerTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 5, 10, 0, 0, TimeSpan.Zero));
    private readonly string _directory = Directory.CreateTempSubdirectory("nodedaemon-rotation-").FullName;
    private TestApiServer _server = null!;

    public async Task InitializeAsync() => _server = await TestApiServer.StartAsync(World.Seed("drain-cluster.json"),
        new TestApiServerOptions { Time = _time, Authorization = ApiAuthorization.Shipped() });

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task TheRotatedTokenKeepsTheDaemonAuthenticatedPastTheBootstrapTokensExpiry()
    {
        var kubeconfig = Path.Combine(_directory, "kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, _server.DaemonKubeconfig("node-a", TimeSpan.FromHours(1)));
        var log = new TestLogger(output);
        using var credentials = NodeCredentials.Open(kubeconfig, "node-a", _directory, new ApiTransportOptions(), _time, log, NoApiRequestObserver.Instance);
        Assert.NotNull(credentials);
        var bootstrap = credentials.Source.Current;
        using var api = KubeApi.FromKubeconfig(kubeconfig, TimeSpan.FromSeconds(30), token: credentials.Source);
        var rotator = new TokenRotator(credentials.Source, new TokenRequestClient(api), new TokenStore(_directory), _time, log);

        _time.Advance(TimeSpan.FromMinutes(48));
        Assert.Equal(TimeSpan.Zero, await rotator.TurnAsync(CancellationToken.None));
        var rotated = credentials.Source.Current;
        Assert.NotEqual(bootstrap.Value, rotated.Value);
        Assert.Equal(("node-a", 3600d), (rotated.NodeName, (rotated.ExpiresAt - rotated.IssuedAt).TotalSeconds));

        _time.Advance(TimeSpan.FromMinutes(13));
        // Past the bootstrap token's expiry: the daemon's requests carry the rotated one and pass; the old one is refused.
        Assert.Equal(200, (await api.SendAsync(HttpMethod.Get, KubePaths.Node("node-a"), null, KubePaths.Json, CancellationToken.None)).StatusCode);
        using var stale = KubeApi.FromKubeconfig(kubeconfig, TimeSpan.FromSeconds(30));
        Assert.Equal(401, (await stale.SendAsync(HttpMethod.Get, KubePaths.Node("node-a"), null, KubePaths.Json, CancellationToken.None)).StatusCode);
    }

    [Fact]
    public async Task ADaemonCannotMintATokenForAnotherNode()
    {
        var kubeconfig = Path.Combine(_directory, "kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, _server.DaemonKubeconfig("node-a", TimeSpan.FromHours(1)));
        var source = new BearerTokenSource(ServiceAccountToken.TryParse(Kubeconfig(kubeconfig))!);
        using var api = KubeApi.FromKubeconfig(kubeconfig, TimeSpan.FromSeconds(30), token: source);
        var other = source.Current with { NodeName = "node-b", NodeUid = "" };

        var error = await Assert.ThrowsAsync<Core.Cluster.ClusterException>(() => new TokenRequestClient(api).IssueAsync(other, 3600, CancellationToken.None));

        Assert.Contains("403", error.Message, StringComparison.Ordinal);
    }

    private static string Kubeconfig(string path) =>
        k8s.KubernetesClientConfiguration.LoadKubeConfig(path).Users!.Single().UserCredentials!.Token!;
}
