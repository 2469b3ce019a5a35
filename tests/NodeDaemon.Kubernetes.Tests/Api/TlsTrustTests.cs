using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using NodeDaemon.Core.Cluster;
using NodeDaemon.Sim.KubeApi;

namespace NodeDaemon.Kubernetes.Tests.Api;

/// <summary>With a CA in the kubeconfig the server is checked as client-go checks it (RootCAs = that CA alone): a
/// certificate that CA issued for 127.0.0.1 and in its validity period passes; one for another host, an expired one, or
/// one from another CA is refused. Real certificates, a real TLS handshake against the test API server.</summary>
public sealed class TlsTrustTests : IDisposable
{
    private static readonly DateTimeOffset Now = TimeProvider.System.GetUtcNow();
    private readonly X509Certificate2 _ca = NewCa("CN=trust-test-ca");
    private readonly string _dir = Directory.CreateTempSubdirectory("nodedaemon-trust-").FullName;

    public void Dispose()
    {
        _ca.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task A_certificate_of_the_kubeconfig_CA_for_this_address_passes()
    {
        using var server = Issue(_ca, Now.AddMinutes(-5), Now.AddDays(1), ip: IPAddress.Loopback);

        var name = await GetNodeAsync(server, _ca);

        Assert.Equal("node-a", name);
    }

    [Fact]
    public async Task A_certificate_of_the_kubeconfig_CA_for_another_host_is_refused()
    {
        using var server = Issue(_ca, Now.AddMinutes(-5), Now.AddDays(1), dns: "elsewhere.example");

        await Assert.ThrowsAsync<ClusterException>(() => GetNodeAsync(server, _ca));
    }

    [Fact]
    public async Task An_expired_certificate_of_the_kubeconfig_CA_is_refused()
    {
        using var server = Issue(_ca, Now.AddDays(-5), Now.AddDays(-1), ip: IPAddress.Loopback);

        await Assert.ThrowsAsync<ClusterException>(() => GetNodeAsync(server, _ca));
    }

    [Fact]
    public async Task A_certificate_of_another_CA_is_refused()
    {
        using var other = NewCa("CN=other-ca");
        using var server = Issue(other, Now.AddMinutes(-5), Now.AddDays(1), ip: IPAddress.Loopback);

        await Assert.ThrowsAsync<ClusterException>(() => GetNodeAsync(server, _ca));
    }

    [Fact]
    public void The_policy_trusts_the_kubeconfig_CA_alone_and_fetches_nothing()
    {
        var policy = KubeHttpPolicy();

        Assert.Equal(X509ChainTrustMode.CustomRootTrust, policy.TrustMode);
        Assert.Equal(_ca.RawData, Assert.Single(policy.CustomTrustStore).RawData);
        Assert.True(policy.DisableCertificateDownloads);
        Assert.Equal(X509RevocationMode.NoCheck, policy.RevocationMode);
    }

    /// <summary>The system store is needed only where it can decide: a checked https server without a CA of its own.</summary>
    [Theory]
    [InlineData("https://10.0.0.1:6443", true, false, false)]
    [InlineData("https://10.0.0.1:6443", false, false, true)]
    [InlineData("https://10.0.0.1:6443", false, true, false)]
    [InlineData("https://10.0.0.1:6443", true, true, false)]
    [InlineData("http://10.0.0.1:8080", false, false, false)]
    public void The_system_trust_store_is_needed_only_by_a_checked_https_server_without_a_kubeconfig_CA(string server, bool withCa, bool skipVerify,
        bool needed)
    {
        var config = new k8s.KubernetesClientConfiguration
        {
            Host = server,
            SkipTlsVerify = skipVerify,
            SslCaCerts = withCa ? [_ca] : null,
        };

        using var connection = NodeDaemon.Kubernetes.Api.KubeConnection.For(config);

        Assert.Equal(needed, connection.NeedsSystemTrust);
    }

    private X509ChainPolicy KubeHttpPolicy() => NodeDaemon.Kubernetes.Api.KubeHttp.KubeconfigCaPolicy([_ca]);

    /// <summary>Starts the test API server with <paramref name="serverCertificate"/> and reads the node once through the
    /// daemon's client, whose kubeconfig names <paramref name="ca"/>.</summary>
    private async Task<string> GetNodeAsync(X509Certificate2 serverCertificate, X509Certificate2 ca)
    {
        var kubeconfig = Path.Combine(_dir, $"{Guid.NewGuid():N}.yaml");
        await using var api = await TestApiServer.StartAsync(World.Seed("drain-cluster.json"), new TestApiServerOptions
        {
            ServerCertificate = serverCertificate,
            KubeconfigPath = Path.Combine(_dir, $"{Guid.NewGuid():N}-server.yaml"),
        });
        File.WriteAllText(kubeconfig, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: c
              cluster:
                server: {api.Url.GetLeftPart(UriPartial.Authority)}
                certificate-authority-data: {TestCertificates.Data(ca)}
            users:
            - name: u
              user:
                token: node-token
            contexts:
            - name: x
              context:
                cluster: c
                user: u
            current-context: x

            """);
        using var client = KubeNodeClient.Create(kubeconfig, World.FastOptions(t => t with { WriteAttempts = 2 }), TimeProvider.System, new TestLogger(null));
        return (await client.GetAsync(CancellationToken.None)).Name;
    }

    private static X509Certificate2 NewCa(string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        // Valid well before the expired server certificate: an issuer cannot sign outside its own validity.
        return request.CreateSelfSigned(Now.AddDays(-10), Now.AddDays(2));
    }

    private static X509Certificate2 Issue(X509Certificate2 ca, DateTimeOffset notBefore, DateTimeOffset notAfter, IPAddress? ip = null, string? dns = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=kube-apiserver", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        var names = new SubjectAlternativeNameBuilder();
        if (ip is not null)
        {
            names.AddIpAddress(ip);
        }

        if (dns is not null)
        {
            names.AddDnsName(dns);
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var issued = request.Create(ca, notBefore, notAfter, RandomNumberGenerator.GetBytes(8));
        using var withKey = issued.CopyWithPrivateKey(key);
        // Kestrel needs a key it can use from the TLS stack: a PKCS#12 round trip gives a persisted one.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }
}
