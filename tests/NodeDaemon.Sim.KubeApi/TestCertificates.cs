using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace NodeDaemon.Sim.KubeApi;

/// <summary>A throwaway CA with a server certificate for 127.0.0.1 and a client certificate, as a cluster's PKI issues them.</summary>
/// <remarks>Made in memory at start, as kubeadm makes a cluster's: the test API server serves with <see cref="Server"/> and
/// writes <see cref="Ca"/> into its kubeconfigs, so clients verify it as they verify a real kube-apiserver.</remarks>
public sealed class TestCertificates : IDisposable
{
    private TestCertificates(X509Certificate2 ca, X509Certificate2 server, X509Certificate2 client)
    {
        Ca = ca;
        Server = server;
        Client = client;
    }

    /// <summary>The CA that issued <see cref="Server"/> and <see cref="Client"/>: what a kubeconfig's certificate-authority-data holds.</summary>
    public X509Certificate2 Ca { get; }

    /// <summary>The serving certificate, with its key: for 127.0.0.1 and localhost.</summary>
    public X509Certificate2 Server { get; }

    /// <summary>A client certificate, with its key, for <c>CN=&lt;clientName&gt;, O=system:nodes</c>.</summary>
    public X509Certificate2 Client { get; }

    /// <summary>A new CA and the certificates it issued, valid from a few minutes ago for a day (long runs of the standalone server).</summary>
    public static TestCertificates Create(string clientName = "system:node:worker-1")
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=nodedaemon-test-ca", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        // TLS checks validity against the real clock, whatever clock a test gives the server.
        var now = TimeProvider.System.GetUtcNow();
        var ca = caRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1).AddMinutes(5));

        var server = Issue(ca, "CN=kube-apiserver", now, request =>
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            names.AddDnsName("localhost");
            request.CertificateExtensions.Add(names.Build());
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        });
        var client = Issue(ca, $"CN={clientName}, O=system:nodes", now, request =>
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false)));
        return new TestCertificates(ca, server, client);
    }

    /// <summary>The certificate as PEM, base64-encoded the way a kubeconfig's <c>*-data</c> fields hold it.</summary>
    public static string Data(X509Certificate2 certificate) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(certificate.ExportCertificatePem()));

    /// <summary>The private key as PKCS#8 PEM, base64-encoded for <c>client-key-data</c>.</summary>
    public static string KeyData(X509Certificate2 certificate)
    {
        using var key = certificate.GetECDsaPrivateKey() ?? throw new InvalidOperationException("no key");
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(key.ExportPkcs8PrivateKeyPem()));
    }

    /// <summary>True when <paramref name="certificate"/> chains to <paramref name="ca"/> alone (not the system's roots),
    /// as a client with the kubeconfig's certificate-authority-data checks a server.</summary>
    public static bool ChainsTo(X509Certificate2 ca, X509Certificate? certificate)
    {
        if (certificate is null)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(leaf);
    }

    /// <summary>A handler that trusts <paramref name="ca"/> only; for test code that talks to the server directly.</summary>
    public static SocketsHttpHandler TrustingHandler(X509Certificate2 ca)
    {
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
            (errors & ~System.Net.Security.SslPolicyErrors.RemoteCertificateChainErrors) == 0 && ChainsTo(ca, certificate);
        return handler;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Ca.Dispose();
        Server.Dispose();
        Client.Dispose();
    }

    private static X509Certificate2 Issue(X509Certificate2 ca, string subject, DateTimeOffset now, Action<CertificateRequest> extend)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        extend(request);
        using var issued = request.Create(ca, now.AddMinutes(-5), now.AddDays(1), RandomNumberGenerator.GetBytes(8));
        using var withKey = issued.CopyWithPrivateKey(key);
        // Kestrel needs a key it can use from the TLS stack: a PKCS#12 round trip gives a persisted one.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }
}
