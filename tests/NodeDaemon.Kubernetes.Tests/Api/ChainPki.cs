using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace NodeDaemon.Kubernetes.Tests.Api;

/// <summary>A root CA, an intermediate it signed, and server certificates for 127.0.0.1 and localhost under either, plus
/// the look-alikes a trust check must refuse; made in memory, valid around the real clock (TLS checks against it).</summary>
internal sealed class ChainPki : IDisposable
{
    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1");
    private readonly List<IDisposable> _owned = [];
    private readonly ECDsa _intermediateKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public ChainPki()
    {
        Now = TimeProvider.System.GetUtcNow();
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Root = Own(CaRequest("CN=chain-test-root", rootKey).CreateSelfSigned(Now.AddDays(-30), Now.AddDays(30)));
        Intermediate = Own(CaRequest("CN=chain-test-intermediate", _intermediateKey)
            .Create(Root, Now.AddDays(-20), Now.AddDays(20), Serial()));
    }

    /// <summary>When the certificates were made; every validity is relative to it.</summary>
    public DateTimeOffset Now { get; }

    /// <summary>The self-signed root.</summary>
    public X509Certificate2 Root { get; }

    /// <summary>The intermediate CA the root signed (not self-signed): what the server certificates are issued by.</summary>
    public X509Certificate2 Intermediate { get; }

    public void Dispose()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }

        _intermediateKey.Dispose();
    }

    /// <summary>A server certificate the intermediate signed, for 127.0.0.1 and localhost unless <paramref name="dns"/> names
    /// the only host; valid from <paramref name="notBefore"/> (default a minute ago) to <paramref name="notAfter"/> (a day on).</summary>
    public X509Certificate2 Leaf(string? dns = null, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null) =>
        Server("CN=kube-apiserver", Intermediate.SubjectName, X509SignatureGenerator.CreateForECDsa(_intermediateKey), dns, notBefore, notAfter);

    /// <summary>A server certificate that names the intermediate as its issuer but is signed by another key.</summary>
    public X509Certificate2 LeafSignedByAnotherKey()
    {
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return Server("CN=kube-apiserver", Intermediate.SubjectName, X509SignatureGenerator.CreateForECDsa(other), null, null, null);
    }

    /// <summary>A self-signed server certificate whose subject (and so issuer) is the intermediate's.</summary>
    public X509Certificate2 SelfSignedLookAlike() => Server(Intermediate.Subject, null, null, null, null, null);

    /// <summary>An intermediate of its own root (the pair of another cluster) and a server certificate it issued.</summary>
    public (X509Certificate2 Intermediate, X509Certificate2 Leaf) AnotherChain()
    {
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var root = CaRequest("CN=other-root", rootKey).CreateSelfSigned(Now.AddDays(-30), Now.AddDays(30));
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var intermediate = Own(CaRequest("CN=other-intermediate", key).Create(root, Now.AddDays(-20), Now.AddDays(20), Serial()));
        return (intermediate, Server("CN=kube-apiserver", intermediate.SubjectName, X509SignatureGenerator.CreateForECDsa(key), null, null, null));
    }

    /// <summary>The intermediate's twin (same subject, same key) whose validity ended yesterday: an expired anchor.</summary>
    public X509Certificate2 ExpiredIntermediate()
    {
        var request = CaRequest(Intermediate.Subject, _intermediateKey);
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        // Signed by a throwaway key: the anchor's own signature is never checked (Go's neither), only its validity.
        return Own(request.Create(Root.SubjectName, X509SignatureGenerator.CreateForECDsa(rootKey), Now.AddDays(-20), Now.AddDays(-1), Serial()));
    }

    private X509Certificate2 Server(string subject, X500DistinguishedName? issuer, X509SignatureGenerator? signer, string? dns,
        DateTimeOffset? notBefore, DateTimeOffset? notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        var names = new SubjectAlternativeNameBuilder();
        if (dns is null)
        {
            names.AddIpAddress(IPAddress.Loopback);
            names.AddDnsName("localhost");
        }
        else
        {
            names.AddDnsName(dns);
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([ServerAuth], false));
        var from = notBefore ?? Now.AddMinutes(-1);
        var to = notAfter ?? Now.AddDays(1);
        using var issued = issuer is null
            ? request.CreateSelfSigned(from, to)
            : request.Create(issuer, signer!, from, to, Serial());
        using var withKey = issuer is null ? null : issued.CopyWithPrivateKey(key);
        // Kestrel needs a key it can use from the TLS stack: a PKCS#12 round trip gives a persisted one.
        return Own(X509CertificateLoader.LoadPkcs12((withKey ?? issued).Export(X509ContentType.Pkcs12), null));
    }

    private static CertificateRequest CaRequest(string subject, ECDsa key)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        return request;
    }

    private static byte[] Serial() => RandomNumberGenerator.GetBytes(8);

    private X509Certificate2 Own(X509Certificate2 certificate)
    {
        _owned.Add(certificate);
        return certificate;
    }
}
