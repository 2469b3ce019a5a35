using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace NodeDaemon.Sim.KubeApi;

/// <summary>Writes the kubeconfig clients use to reach the test API server: its URL on loopback, the CA that issued its
/// certificate (<c>certificate-authority-data</c>, so kubectl and the daemon verify it) and a bearer token.</summary>
public static class Kubeconfig
{
    /// <summary>The admin token of the default kubeconfig; without authorization the server accepts any token, or none.</summary>
    public const string Token = "nodedaemon-sim-token";

    /// <summary>The kubeconfig text for <paramref name="server"/>, authenticating with <paramref name="token"/>, trusting
    /// <paramref name="ca"/> (null: none is written, for plain http or a certificate of the test's own).</summary>
    public static string Render(Uri server, string token = Token, X509Certificate2? ca = null) => $"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: nodedaemon-sim
          cluster:
            server: {server.GetLeftPart(UriPartial.Authority)}{CaLine(ca)}
        users:
        - name: nodedaemon-sim
          user:
            token: {token}
        contexts:
        - name: nodedaemon-sim
          context:
            cluster: nodedaemon-sim
            user: nodedaemon-sim
            namespace: default
        current-context: nodedaemon-sim

        """;

    /// <summary>Writes the kubeconfig to <paramref name="path"/>, creating its folder.</summary>
    public static void Write(string path, Uri server, string token = Token, X509Certificate2? ca = null)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }

        File.WriteAllText(path, Render(server, token, ca));
    }

    // The PEM, base64-encoded, as kubeadm writes certificate-authority-data; on its own line under server.
    private static string CaLine(X509Certificate2? ca) => ca is null ? ""
        : $"\n    certificate-authority-data: {Convert.ToBase64String(Encoding.UTF8.GetBytes(ca.ExportCertificatePem()))}";
}
