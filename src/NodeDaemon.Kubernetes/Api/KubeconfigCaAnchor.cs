using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace NodeDaemon.Kubernetes.Api;

/// <summary>client-go's trust anchor rule for a kubeconfig CA: the server's chain may end at <em>any</em> certificate of
/// the pool, an intermediate too, because Go's verifier takes every certificate of <c>RootCAs</c> as a root.</summary>
/// <remarks>
/// Go (crypto/x509 verify.go, <c>Verify</c>, <c>buildChains</c>) accepts a leaf that is itself in <c>Roots</c>, or whose
/// chain reaches a certificate of <c>Roots</c> through the handshake's intermediates, self-signed or not. .NET on Linux
/// takes only a self-signed certificate of <c>CustomTrustStore</c> as a root: a chain that stops at a pool intermediate
/// ends in <see cref="X509ChainStatusFlags.PartialChain"/> on that element (or, when the server also sent its root, in
/// <see cref="X509ChainStatusFlags.UntrustedRoot"/> on the root above it). Such a chain is accepted here when nothing else
/// is wrong with it: the host name matched (<see cref="SslPolicyErrors"/> has chain errors alone), the chain's only
/// faults are those two, and every element from the leaf up to the first pool certificate has no fault at all, so
/// signatures, validity periods and key usage were checked on exactly the path Go would accept; that certificate's own
/// validity period, which .NET does not report at the end of a partial chain, is checked here. Everything above it is
/// ignored, as Go never looks past its root.
/// </remarks>
internal static class KubeconfigCaAnchor
{
    /// <summary>Whether SslStream's verdict (<paramref name="errors"/>, <paramref name="chain"/>, built with the kubeconfig
    /// CA policy) is one client-go would accept at <paramref name="now"/> with <paramref name="pool"/> as its <c>RootCAs</c>.</summary>
    public static bool Accepts(X509Certificate2Collection pool, X509Chain? chain, SslPolicyErrors errors, DateTimeOffset now)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (errors != SslPolicyErrors.RemoteCertificateChainErrors || chain is null)
        {
            return false;
        }

        foreach (var status in chain.ChainStatus)
        {
            if (status.Status is not (X509ChainStatusFlags.NoError or X509ChainStatusFlags.PartialChain or X509ChainStatusFlags.UntrustedRoot))
            {
                return false;
            }
        }

        foreach (var element in chain.ChainElements)
        {
            var anchor = InPool(pool, element.Certificate);
            foreach (var status in element.ChainElementStatus)
            {
                // The anchor's issuer is not in the pool, and need not be: the one fault it may carry.
                if (status.Status is not X509ChainStatusFlags.NoError && !(anchor && status.Status == X509ChainStatusFlags.PartialChain))
                {
                    return false;
                }
            }

            if (anchor)
            {
                // An expired intermediate at the end of a partial chain carries no NotTimeValid (.NET 10 over OpenSSL 3,
                // TlsAnchorTests); Go checks a root's validity period like any other certificate's.
                return element.Certificate.NotBefore.ToUniversalTime() <= now.UtcDateTime && now.UtcDateTime <= element.Certificate.NotAfter.ToUniversalTime();
            }
        }

        return false;
    }

    // Byte-equal, as Go's CertPool.contains compares the raw certificate: a look-alike (same subject, another key) is not it.
    private static bool InPool(X509Certificate2Collection pool, X509Certificate2 certificate)
    {
        foreach (var candidate in pool)
        {
            if (candidate.RawDataMemory.Span.SequenceEqual(certificate.RawDataMemory.Span))
            {
                return true;
            }
        }

        return false;
    }
}
