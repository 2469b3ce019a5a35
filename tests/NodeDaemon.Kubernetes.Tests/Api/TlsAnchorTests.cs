using System.Security.Cryptography.X509Certificates;
using NodeDaemon.Core.Cluster;
using NodeDaemon.Sim.Harness;
using NodeDaemon.Sim.KubeApi;

namespace NodeDaemon.Kubernetes.Tests.Api;

/// <summary>A kubeconfig CA that is an intermediate is a trust anchor, as in client-go: each case serves a root → intermediate
/// → server chain from the test API server over HTTPS and asks the daemon's client and real kubectl the same question
/// with the same kubeconfig; both must give the answer recorded for kubectl 1.33 (docs/protocol.md, Transport).</summary>
public sealed class TlsAnchorTests : IDisposable
{
    private static readonly TimeSpan KubectlTimeout = TimeSpan.FromSeconds(60);

    // What kubectl 1.33.1 (Go's crypto/x509) said in each refusal, after "tls: failed to verify certificate: ".
    private const string? Accepted = null;
    private const string UnknownAuthority = "x509: certificate signed by unknown authority";
    private const string Expired = "x509: certificate has expired or is not yet valid";
    private const string OtherHost = "x509: cannot validate certificate for 127.0.0.1 because it doesn't contain any IP SANs";
    private const string BadSignature = "x509: certificate signed by unknown authority (possibly because of \"x509: ECDSA verification failure\"";
    private readonly ChainPki _pki = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("nodedaemon-anchor-").FullName;

    public void Dispose()
    {
        _pki.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public Task A_CA_that_is_the_intermediate_alone_trusts_a_server_sending_its_certificate_alone() =>
        BothAnswerAsync(Accepted, ca: _pki.Intermediate, _pki.Leaf());

    [Fact]
    public Task A_CA_that_is_the_intermediate_alone_trusts_a_server_sending_the_intermediate_too() =>
        BothAnswerAsync(Accepted, ca: _pki.Intermediate, _pki.Leaf(), _pki.Intermediate);

    [Fact]
    public Task A_CA_that_is_the_root_refuses_a_server_that_does_not_send_the_intermediate() =>
        BothAnswerAsync(UnknownAuthority, ca: _pki.Root, _pki.Leaf());

    [Fact]
    public Task A_CA_that_is_the_root_trusts_a_server_sending_the_intermediate() =>
        BothAnswerAsync(Accepted, ca: _pki.Root, _pki.Leaf(), _pki.Intermediate);

    [Fact]
    public Task A_CA_that_is_the_intermediate_alone_trusts_a_server_sending_the_whole_chain_to_the_root() =>
        BothAnswerAsync(Accepted, ca: _pki.Intermediate, _pki.Leaf(), _pki.Intermediate, _pki.Root);

    [Fact]
    public async Task A_CA_that_is_the_server_certificate_itself_trusts_it()
    {
        var leaf = _pki.Leaf();
        await BothAnswerAsync(Accepted, ca: leaf, leaf);
    }

    [Fact]
    public async Task A_CA_that_is_the_server_certificate_itself_refuses_it_expired()
    {
        var leaf = _pki.Leaf(notBefore: _pki.Now.AddDays(-5), notAfter: _pki.Now.AddDays(-1));
        await BothAnswerAsync(Expired, ca: leaf, leaf);
    }

    [Fact]
    public Task An_intermediate_anchor_refuses_its_certificate_for_another_host() =>
        BothAnswerAsync(OtherHost, ca: _pki.Intermediate, _pki.Leaf(dns: "elsewhere.example"), _pki.Intermediate);

    [Fact]
    public Task An_intermediate_anchor_refuses_its_expired_certificate() =>
        BothAnswerAsync(Expired, ca: _pki.Intermediate, _pki.Leaf(notBefore: _pki.Now.AddDays(-5), notAfter: _pki.Now.AddDays(-1)));

    [Fact]
    public Task An_intermediate_anchor_refuses_a_certificate_naming_it_but_signed_by_another_key() =>
        BothAnswerAsync(BadSignature, ca: _pki.Intermediate, _pki.LeafSignedByAnotherKey());

    [Fact]
    public Task An_intermediate_anchor_refuses_a_self_signed_certificate_with_its_subject() =>
        BothAnswerAsync(BadSignature, ca: _pki.Intermediate, _pki.SelfSignedLookAlike());

    [Fact]
    public async Task An_intermediate_anchor_refuses_the_chain_of_another_CA()
    {
        var (intermediate, leaf) = _pki.AnotherChain();
        await BothAnswerAsync(UnknownAuthority, ca: _pki.Intermediate, leaf, intermediate);
    }

    [Fact]
    public Task An_expired_intermediate_anchor_refuses_its_valid_certificate() =>
        BothAnswerAsync(Expired, ca: _pki.ExpiredIntermediate(), _pki.Leaf());

    /// <summary>Serves <paramref name="server"/> (and <paramref name="sent"/> after it in the handshake), then reads node-a
    /// through the daemon's client and through kubectl with one kubeconfig whose CA is <paramref name="ca"/>: kubectl must
    /// refuse with <paramref name="kubectlRefusal"/> or, when that is null, accept; the daemon must do the same.</summary>
    private async Task BothAnswerAsync(string? kubectlRefusal, X509Certificate2 ca, X509Certificate2 server, params X509Certificate2[] sent)
    {
        await using var api = await TestApiServer.StartAsync(World.Seed("drain-cluster.json"), new TestApiServerOptions
        {
            ServerCertificate = server,
            ServerCertificateChain = sent.Length == 0 ? null : [.. sent],
            KubeconfigPath = Path.Combine(_dir, "server.yaml"),
        });
        var kubeconfig = Path.Combine(_dir, "client.yaml");
        Kubeconfig.Write(kubeconfig, api.Url, ca: ca);

        var (code, output) = await Kubectl.RunAsync(kubeconfig, KubectlTimeout, "get", "node", "node-a", "-o", "name");
        var daemon = await DaemonReadsAsync(kubeconfig);

        Assert.True(kubectlRefusal is null ? code == 0 : code != 0 && output.Contains($"tls: failed to verify certificate: {kubectlRefusal}", StringComparison.Ordinal), output);
        Assert.Equal(kubectlRefusal is null, daemon);
    }

    private static async Task<bool> DaemonReadsAsync(string kubeconfig)
    {
        using var client = KubeNodeClient.Create(kubeconfig, World.FastOptions(t => t with { WriteAttempts = 2 }), TimeProvider.System, new TestLogger(null));
        try
        {
            return (await client.GetAsync(CancellationToken.None)).Name == "node-a";
        }
        catch (ClusterException)
        {
            return false;
        }
    }
}
