using System.Security.Cryptography;
using System.Text;

namespace NodeDaemon.Sim.Harness;

/// <summary>Debian's <c>skopeo</c>, as a client of the test registry: what a real tool reads from it.</summary>
public static class Skopeo
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    /// <summary><c>skopeo inspect --raw</c>: the manifest (or index) exactly as the registry serves it.</summary>
    public static async Task<string> RawAsync(string authFile, string reference) =>
        (await RunAsync("inspect", "--raw", "--authfile", authFile, "--tls-verify=false", reference).ConfigureAwait(false)).StandardOutput;

    /// <summary><c>skopeo inspect</c> with its exit code and texts (the digest is its <c>Digest</c> field; errors on stderr).</summary>
    public static Task<ToolResult> InspectAsync(string authFile, string reference) =>
        RunAsync("inspect", "--authfile", authFile, "--tls-verify=false", reference);

    /// <summary>A manifest's digest: the sha256 of its bytes, as registries and containers/image compute it.</summary>
    public static string ManifestDigest(string raw) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(raw)));

    private static async Task<ToolResult> RunAsync(params string[] args)
    {
        var result = await Tool.RunAsync("skopeo", args, s_timeout).ConfigureAwait(false);
        if (result.ExitCode != 0 && args[0] == "inspect" && args[1] == "--raw")
        {
            throw new InvalidOperationException($"skopeo {string.Join(' ', args)}: exit {result.ExitCode}: {result.StandardError.Trim()}");
        }

        return result;
    }
}
