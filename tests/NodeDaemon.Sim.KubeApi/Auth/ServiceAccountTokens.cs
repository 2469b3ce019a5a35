using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace NodeDaemon.Sim.KubeApi.Auth;

/// <summary>
/// Mints and reads the test API server's service-account tokens: JWTs (<c>header.payload.signature</c>, base64url) with the
/// claims of kubernetes <c>pkg/serviceaccount/claims.go</c> (<c>iss</c>, <c>sub</c>, <c>aud</c>, <c>iat</c>, <c>nbf</c>,
/// <c>exp</c>, <c>jti</c>, and <c>kubernetes.io</c> with the namespace, the service account and the bound Node).
/// </summary>
/// <remarks>
/// Signed with HMAC-SHA256 under a key that lives only in this server (a real server signs RS256/ES256 with its
/// service-account key): nobody outside the process can forge one, and a token of another server run is refused.
/// Only the shape and the claims matter to clients; they never look inside.
/// </remarks>
public sealed class ServiceAccountTokens
{
    /// <summary>The issuer and the one audience the server accepts (a real cluster's default <c>--api-audiences</c> is
    /// its <c>--service-account-issuer</c>).</summary>
    public const string Issuer = "https://kubernetes.default.svc.cluster.local";

    private static readonly string s_header = Base64Url("""{"alg":"HS256","typ":"JWT"}"""u8);
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    /// <summary>A token for service account <paramref name="ns"/>/<paramref name="name"/> (uid <paramref name="uid"/>)
    /// bound to Node <paramref name="nodeName"/> (uid <paramref name="nodeUid"/>), valid from <paramref name="now"/> for
    /// <paramref name="lifetime"/>.</summary>
    public string Mint(string ns, string name, string uid, string nodeName, string nodeUid, DateTimeOffset now, TimeSpan lifetime, IReadOnlyList<string> audiences)
    {
        ArgumentNullException.ThrowIfNull(audiences);
        var issued = now.ToUnixTimeSeconds();
        var payload = new JsonObject
        {
            ["aud"] = new JsonArray([.. audiences.Select(a => (JsonNode)a)]),
            ["exp"] = issued + (long)lifetime.TotalSeconds,
            ["iat"] = issued,
            ["iss"] = Issuer,
            ["jti"] = Guid.NewGuid().ToString(),
            ["kubernetes.io"] = new JsonObject
            {
                ["namespace"] = ns,
                ["node"] = new JsonObject { ["name"] = nodeName, ["uid"] = nodeUid },
                ["serviceaccount"] = new JsonObject { ["name"] = name, ["uid"] = uid },
            },
            ["nbf"] = issued,
            ["sub"] = $"system:serviceaccount:{ns}:{name}",
        };
        var signed = s_header + "." + Base64Url(Encoding.UTF8.GetBytes(payload.ToJsonString()));
        return signed + "." + Base64Url(HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(signed)));
    }

    /// <summary>The claims of a token this server signed, or null when it is not one (not checked against time or objects).</summary>
    public TokenClaims? Read(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        var parts = token.Split('.');
        if (parts.Length != 3 || parts[0] != s_header)
        {
            return null;
        }

        var expected = HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]));
        if (FromBase64Url(parts[2]) is not { } signature || !CryptographicOperations.FixedTimeEquals(signature, expected))
        {
            return null;
        }

        var payload = JsonNode.Parse(FromBase64Url(parts[1]) ?? []) as JsonObject;
        var kubernetes = payload?["kubernetes.io"];
        if (payload is null || kubernetes is null)
        {
            return null;
        }

        return new TokenClaims(
            (string?)kubernetes["namespace"] ?? "",
            (string?)kubernetes["serviceaccount"]?["name"] ?? "",
            (string?)kubernetes["serviceaccount"]?["uid"] ?? "",
            (string?)kubernetes["node"]?["name"],
            (string?)kubernetes["node"]?["uid"],
            (string?)payload["jti"] ?? "",
            DateTimeOffset.FromUnixTimeSeconds((long?)payload["nbf"] ?? 0),
            DateTimeOffset.FromUnixTimeSeconds((long?)payload["exp"] ?? 0),
            [.. (payload["aud"] as JsonArray ?? []).Select(a => (string?)a ?? "")]);
    }

    private static string Base64Url(ReadOnlySpan<byte> bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[]? FromBase64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        padded += new string('=', (4 - (padded.Length % 4)) % 4);
        try
        {
            return Convert.FromBase64String(padded);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

/// <summary>What a service-account token says about its bearer.</summary>
/// <param name="Namespace">The service account's namespace.</param>
/// <param name="ServiceAccount">The service account's name.</param>
/// <param name="ServiceAccountUid">The uid it had when the token was minted.</param>
/// <param name="NodeName">The Node the token is bound to, or null.</param>
/// <param name="NodeUid">That Node's uid when the token was minted.</param>
/// <param name="Id">The token's <c>jti</c>.</param>
/// <param name="NotBefore">Not valid before.</param>
/// <param name="Expiry">Not valid from then on.</param>
/// <param name="Audiences">Who it is for.</param>
public sealed record TokenClaims(string Namespace, string ServiceAccount, string ServiceAccountUid, string? NodeName, string? NodeUid, string Id,
    DateTimeOffset NotBefore, DateTimeOffset Expiry, IReadOnlyList<string> Audiences);
