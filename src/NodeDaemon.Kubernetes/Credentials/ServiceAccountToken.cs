using System.Buffers.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NodeDaemon.Kubernetes.Credentials;

/// <summary>A service-account token and what its JWT claims say: who it names, which Node it is bound to, and its life.</summary>
/// <remarks>
/// Only the payload is decoded, never the signature checked: the client needs the life (to rotate in time) and the
/// binding (to ask for the same one again); the API server is the one that checks the signature. The claims are
/// kube-apiserver's (kubernetes pkg/serviceaccount/claims.go): <c>iat</c>, <c>exp</c>, and under <c>kubernetes.io</c>
/// the <c>namespace</c>, <c>serviceaccount.name</c> and, for a token bound to a Node, <c>node.name</c> and <c>node.uid</c>.
/// </remarks>
/// <param name="Value">The token itself, the bearer credential; never logged.</param>
/// <param name="IssuedAt">The <c>iat</c> claim.</param>
/// <param name="ExpiresAt">The <c>exp</c> claim.</param>
/// <param name="Namespace">The service account's namespace.</param>
/// <param name="ServiceAccount">The service account's name.</param>
/// <param name="NodeName">The Node the token is bound to; empty when it is bound to none.</param>
/// <param name="NodeUid">That Node's uid; empty when the token does not say.</param>
public sealed record ServiceAccountToken(string Value, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt, string Namespace, string ServiceAccount,
    string NodeName, string NodeUid)
{
    /// <summary>The longest token read (a JWT of a few claims is about 1 KB; a kubeconfig is capped at 4 MB).</summary>
    public const int MaxLength = 64 * 1024;

    /// <summary>Who the token names, for the journal: <c>system:serviceaccount:NS:NAME</c> and the node it is bound to.</summary>
    public string Describe() =>
        $"system:serviceaccount:{Namespace}:{ServiceAccount}" + (NodeName.Length > 0 ? $" bound to Node {NodeName}" : " bound to no Node");

    /// <summary>The identity and life, never the token: a record's generated text would print the credential into a log.</summary>
    public override string ToString() => $"{Describe()}, issued {IssuedAt:O}, expires {ExpiresAt:O}";

    /// <summary>Whether <paramref name="other"/> names the same service account and the same Node object (the uids
    /// are compared when both tokens carry one: a Node deleted and made again under its name is another object).</summary>
    public bool SameIdentity(ServiceAccountToken other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Namespace == other.Namespace && ServiceAccount == other.ServiceAccount && NodeName == other.NodeName
            && (NodeUid.Length == 0 || other.NodeUid.Length == 0 || NodeUid == other.NodeUid);
    }

    /// <summary>The token's claims, or null when <paramref name="token"/> is not a service-account JWT with <c>iat</c>,
    /// <c>exp</c>, a namespace and a service account (a static token, an OIDC token, garbage).</summary>
    public static ServiceAccountToken? TryParse(string? token)
    {
        if (token is null || token.Length is 0 or > MaxLength)
        {
            return null;
        }

        var parts = token.Split('.');
        if (parts.Length != 3 || Decode(parts[1]) is not JsonObject claims)
        {
            return null;
        }

        if (Seconds(claims["iat"]) is not { } issued || Seconds(claims["exp"]) is not { } expires || expires <= issued
            || claims["kubernetes.io"] is not JsonObject kubernetes
            || Text(kubernetes["namespace"]) is not { Length: > 0 } ns
            || Text((kubernetes["serviceaccount"] as JsonObject)?["name"]) is not { Length: > 0 } account)
        {
            return null;
        }

        var node = kubernetes["node"] as JsonObject;
        return new ServiceAccountToken(token, issued, expires, ns, account, Text(node?["name"]) ?? "", Text(node?["uid"]) ?? "");
    }

    private static JsonNode? Decode(string segment)
    {
        try
        {
            var bytes = Base64Url.DecodeFromChars(segment);
            return JsonNode.Parse(bytes);
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }
    }

    // NumericDate: seconds since the epoch, a JSON number (RFC 7519 §2); fractions are allowed and dropped.
    private static DateTimeOffset? Seconds(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<double>(out var seconds) && seconds is > 0 and < 253402300799
            ? DateTimeOffset.FromUnixTimeSeconds((long)seconds) : null;

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
