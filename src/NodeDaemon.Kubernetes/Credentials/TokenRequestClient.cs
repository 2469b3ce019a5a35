using System.Globalization;
using System.Text.Json.Nodes;
using NodeDaemon.Core.Cluster;
using NodeDaemon.Kubernetes.Api;

namespace NodeDaemon.Kubernetes.Credentials;

/// <summary>Issues tokens through the TokenRequest API (<c>POST .../serviceaccounts/NAME/token</c>), authenticated by the current token.</summary>
/// <remarks>
/// The wire format is kube-apiserver's (k8s.io/api authentication/v1 TokenRequest; kubernetes
/// pkg/registry/core/serviceaccount/storage/token.go): <c>spec.boundObjectRef</c> names the Node (kind <c>Node</c>,
/// apiVersion <c>v1</c>, name, and the uid when known: a uid that no longer matches is a 409, "the object might have
/// been deleted and then recreated"); no <c>audiences</c>, so the server's own apply; the answer carries
/// <c>status.token</c> and <c>status.expirationTimestamp</c>. One request per call: the rotator owns the retries.
/// </remarks>
internal sealed class TokenRequestClient(KubeApi api) : ITokenIssuer
{
    /// <inheritdoc/>
    public async Task<ServiceAccountToken> IssueAsync(ServiceAccountToken current, long expirationSeconds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(current);
        var path = Path(current.Namespace, current.ServiceAccount);
        var response = await api.TrySendAsync(HttpMethod.Post, path, Body(current, expirationSeconds), cancellationToken).ConfigureAwait(false)
            ?? throw new ClusterException($"POST {path}: the API server cannot be reached");
        if (!response.IsSuccess)
        {
            throw new ClusterException($"POST {path}: {response.StatusCode} {response.Message}", response.StatusCode);
        }

        return Read(response.Body, current, path);
    }

    /// <summary>The TokenRequest subresource of a service account.</summary>
    public static string Path(string ns, string serviceAccount) =>
        $"api/v1/namespaces/{Uri.EscapeDataString(ns)}/serviceaccounts/{Uri.EscapeDataString(serviceAccount)}/token";

    /// <summary>The request: the same Node binding as <paramref name="current"/>, for <paramref name="expirationSeconds"/>.</summary>
    public static JsonObject Body(ServiceAccountToken current, long expirationSeconds)
    {
        ArgumentNullException.ThrowIfNull(current);
        var spec = new JsonObject { ["expirationSeconds"] = expirationSeconds };
        if (current.NodeName.Length > 0)
        {
            var reference = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Node", ["name"] = current.NodeName };
            if (current.NodeUid.Length > 0)
            {
                reference["uid"] = current.NodeUid;
            }

            spec["boundObjectRef"] = reference;
        }

        return new JsonObject { ["apiVersion"] = "authentication.k8s.io/v1", ["kind"] = "TokenRequest", ["spec"] = spec };
    }

    /// <summary>The token of an answer. Its life comes from its own claims; a token that is not a JWT (a server that
    /// issues opaque tokens) keeps <paramref name="current"/>'s identity and takes its life from the status, as the
    /// kubelet reads it: expires at <c>status.expirationTimestamp</c>, issued <c>spec.expirationSeconds</c> before.</summary>
    public static ServiceAccountToken Read(JsonNode? body, ServiceAccountToken current, string path)
    {
        ArgumentNullException.ThrowIfNull(current);
        var status = (body as JsonObject)?["status"] as JsonObject;
        var value = Text(status?["token"]);
        if (ServiceAccountToken.TryParse(value) is { } issued)
        {
            return issued;
        }

        var seconds = ((body as JsonObject)?["spec"] as JsonObject)?["expirationSeconds"] is JsonValue n && n.TryGetValue<long>(out var l) ? l : 0;
        if (value is { Length: > 0 and <= ServiceAccountToken.MaxLength } && !value.Any(char.IsWhiteSpace) && seconds > 0
            && DateTimeOffset.TryParse(Text(status?["expirationTimestamp"]), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var expires))
        {
            return current with { Value = value, IssuedAt = expires - TimeSpan.FromSeconds(seconds), ExpiresAt = expires };
        }

        throw new ClusterException($"POST {path}: the answer has no token with a life (neither a JWT with iat and exp nor status.expirationTimestamp and spec.expirationSeconds)");
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
