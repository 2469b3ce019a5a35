using NodeDaemon.Core.Cluster;
using NodeDaemon.Sim.KubeApi;

namespace NodeDaemon.Kubernetes.Tests.Api;

/// <summary>The kubeconfig's TLS settings and credentials reach the wire: the server is checked against the kubeconfig's
/// CA, the client certificate and the token are presented, and skip-verify is honoured only when asked for.</summary>
public sealed class TlsTests : IAsyncLifetime
{
    private readonly TestCertificates _pki = TestCertificates.Create();
    private readonly string _dir = Directory.CreateTempSubdirectory("nodedaemon-tls-").FullName;
    private TestApiServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await TestApiServer.StartAsync(World.Seed("drain-cluster.json"), new TestApiServerOptions
        {
            ServerCertificate = _pki.Server,
            RequireClientCertificate = true,
            KubeconfigPath = Path.Combine(_dir, "token-only.yaml"),
        });

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _pki.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task The_kubeconfig_CA_client_certificate_and_token_are_used()
    {
        using var client = Client(Kubeconfig(caData: TestCertificates.Data(_pki.Ca)));

        var node = await client.GetAsync(CancellationToken.None);

        Assert.Equal("node-a", node.Name);
        var caller = Assert.Single(_server.Callers);
        Assert.Equal("Bearer node-token", caller.Authorization);
        Assert.Equal("CN=system:node:worker-1, O=system:nodes", caller.ClientCertificateSubject);
    }

    [Fact]
    public async Task A_server_not_signed_by_the_kubeconfig_CA_is_refused()
    {
        using var other = TestCertificates.Create();
        using var client = Client(Kubeconfig(caData: TestCertificates.Data(other.Ca)));

        await Assert.ThrowsAsync<ClusterException>(() => client.GetAsync(CancellationToken.None));

        Assert.Empty(_server.Callers);
    }

    [Fact]
    public async Task Skip_verify_is_honoured_when_the_kubeconfig_asks_for_it()
    {
        using var client = Client(Kubeconfig(caData: null, skipVerify: true));

        var node = await client.GetAsync(CancellationToken.None);

        Assert.Equal("node-a", node.Name);
    }

    [Fact]
    public async Task Without_a_CA_the_system_trust_store_decides_and_refuses_a_private_CA()
    {
        using var client = Client(Kubeconfig(caData: null));

        await Assert.ThrowsAsync<ClusterException>(() => client.GetAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_client_certificate_file_that_is_a_FIFO_is_refused_at_once_naming_the_file()
    {
        var fifo = NodeDaemon.Tests.Shared.Fifo.Create(Path.Combine(_dir, "client.crt"));

        var key = Path.Combine(_dir, "client.key");
        File.WriteAllBytes(key, Convert.FromBase64String(TestCertificates.KeyData(_pki.Client)));
        var kubeconfig = Kubeconfig(caData: TestCertificates.Data(_pki.Ca));
        // The client reads certificate files only as a pair: both named by path, the certificate a FIFO.
        File.WriteAllText(kubeconfig, File.ReadAllText(kubeconfig)
            .Replace($"client-certificate-data: {TestCertificates.Data(_pki.Client)}", $"client-certificate: {fifo}", StringComparison.Ordinal)
            .Replace($"client-key-data: {TestCertificates.KeyData(_pki.Client)}", $"client-key: {key}", StringComparison.Ordinal));

        // Bounded: a plain read of a FIFO blocks until a writer comes, so the daemon would hang at start.
        var error = await Assert.ThrowsAsync<IOException>(() => Task.Run(() => Client(kubeconfig)).WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Equal($"the kubeconfig's certificate or key file {fifo}: it is a FIFO (named pipe), not a regular file", error.Message);
    }

    private static KubeNodeClient Client(string kubeconfig) =>
        KubeNodeClient.Create(kubeconfig, World.FastOptions(t => t with { WriteAttempts = 2 }), TimeProvider.System, new TestLogger(null));

    private string Kubeconfig(string? caData, bool skipVerify = false)
    {
        var path = Path.Combine(_dir, $"{Guid.NewGuid():N}.yaml");
        var trust = skipVerify ? "insecure-skip-tls-verify: true" : caData is null ? "" : $"certificate-authority-data: {caData}";
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: c
              cluster:
                server: {_server.Url.GetLeftPart(UriPartial.Authority)}
                {trust}
            users:
            - name: u
              user:
                token: node-token
                client-certificate-data: {TestCertificates.Data(_pki.Client)}
                client-key-data: {TestCertificates.KeyData(_pki.Client)}
            contexts:
            - name: x
              context:
                cluster: c
                user: u
            current-context: x

            """);
        return path;
    }
}
