using System.Buffers.Text;
using System.Text;
using System.Text.Json.Nodes;

namespace NodeDaemon.Kubernetes.Tests.Credentials;

/// <summary>JWT-shaped service-account tokens with kube-apiserver's claims (kubernetes pkg/serviceaccount/claims.go); the signature is filler, as no client checks it.</summary>
internal static class TestTokens
{
    public static readonly DateTimeOffset Epoch = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    public static string Jwt(DateTimeOffset issuedAt, TimeSpan life, string node = "node-a", string nodeUid = "uid-a",
        string ns = "nodedaemon", string account = "nodedaemon", string serial = "1")
    {
        var kubernetes = new JsonObject
        {
            ["namespace"] = ns,
            ["serviceaccount"] = new JsonObject { ["name"] = account, ["uid"] = "sa-uid" },
        };
        if (node.Length > 0)
        {
            kubernetes["node"] = new JsonObject { ["name"] = node, ["uid"] = nodeUid };
        }

        var claims = new JsonObject
        {
            ["aud"] = new JsonArray("https://kubernetes.default.svc"),
            ["iat"] = issuedAt.ToUnixTimeSeconds(),
            ["nbf"] = issuedAt.ToUnixTimeSeconds(),
            ["exp"] = (issuedAt + life).ToUnixTimeSeconds(),
            ["jti"] = serial,
            ["sub"] = $"system:serviceaccount:{ns}:{account}",
            ["kubernetes.io"] = kubernetes,
        };
        return $"{Part("""{"alg":"RS256","kid":"test"}""")}.{Part(claims.ToJsonString())}.c2lnbmF0dXJl";
    }

    public static Kubernetes.Credentials.ServiceAccountToken Token(DateTimeOffset issuedAt, TimeSpan life, string node = "node-a", string nodeUid = "uid-a",
        string serial = "1") =>
        Kubernetes.Credentials.ServiceAccountToken.TryParse(Jwt(issuedAt, life, node, nodeUid, serial: serial))
        ?? throw new InvalidOperationException("the test token does not parse");

    private static string Part(string json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));
}
