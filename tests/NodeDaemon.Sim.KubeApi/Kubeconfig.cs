namespace NodeDaemon.Sim.KubeApi;

/// <summary>Writes the kubeconfig clients use to reach the test API server: plain http on loopback and a bearer token.</summary>
public static class Kubeconfig
{
    /// <summary>The admin token of the default kubeconfig; without authorization the server accepts any token, or none.</summary>
    public const string Token = "nodedaemon-sim-token";

    /// <summary>The kubeconfig text for <paramref name="server"/>, authenticating with <paramref name="token"/>.</summary>
    public static string Render(Uri server, string token = Token) => $"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: nodedaemon-sim
          cluster:
            server: {server.GetLeftPart(UriPartial.Authority)}
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
    public static void Write(string path, Uri server, string token = Token)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }

        File.WriteAllText(path, Render(server, token));
    }
}
