using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using NodeDaemon.Sim.KubeApi.Auth;
using NodeDaemon.Sim.KubeApi.Store;

namespace NodeDaemon.Sim.KubeApi.Handlers;

/// <summary>
/// <c>POST /api/v1/namespaces/{ns}/serviceaccounts/{name}/token</c>: an authentication.k8s.io/v1 TokenRequest, answered
/// as kubernetes <c>pkg/registry/core/serviceaccount/storage/token.go</c> does for a token bound to a Node (the only
/// binding served here; Pod and Secret bindings are refused as an unknown type would be).
/// </summary>
internal sealed class TokenRequestHandler
{
    // TokenRequestSpec.expirationSeconds: defaulted to an hour, at least ten minutes (pkg/apis/authentication validation).
    private const long DefaultSeconds = 3600;
    private const long MinimumSeconds = 600;
    private readonly ObjectStore _store;
    private readonly ApiAuthorization? _authorization;
    private readonly ServiceAccountTokens _tokens;

    public TokenRequestHandler(ObjectStore store, ApiAuthorization? authorization)
    {
        _store = store;
        _authorization = authorization;
        // Without authorization nothing checks a token; one is still minted, so a client that rotates keeps working.
        _tokens = authorization?.Tokens ?? new ServiceAccountTokens();
    }

    public async Task CreateAsync(HttpContext context, RequestTarget target)
    {
        var body = await HttpIo.ReadObjectAsync(context);
        var (ns, name) = (target.Namespace!, target.Name!);
        var spec = body["spec"] as JsonObject ?? [];
        var seconds = JsonNumber.Read(spec["expirationSeconds"]) ?? DefaultSeconds;
        if (seconds < MinimumSeconds)
        {
            throw new ApiException(StatusErrors.Status(422, "Invalid",
                $"TokenRequest.authentication.k8s.io \"{name}\" is invalid: spec.expirationSeconds: Invalid value: {seconds.ToString(CultureInfo.InvariantCulture)}: may not specify a duration less than 10 minutes",
                new JsonObject { ["name"] = name, ["group"] = "authentication.k8s.io", ["kind"] = "TokenRequest" }));
        }

        // Validating admission runs first, as the registry's createValidation does.
        _authorization?.Admit(context, target, "CREATE", name, null, body, _store);
        var accountUid = _authorization is null ? "" : _authorization.AccountUid(ns, name);
        if (accountUid is null)
        {
            throw new ApiException(StatusErrors.NotFound(ResourceTypes.ServiceAccounts, name));
        }

        var reference = spec["boundObjectRef"] as JsonObject;
        if (reference is null || (string?)reference["kind"] != "Node" || (string?)reference["apiVersion"] != "v1")
        {
            var kind = (string?)reference?["kind"] ?? "";
            var version = (string?)reference?["apiVersion"] ?? "";
            // schema.GroupVersionKind.String(): "group/version, Kind=kind", "/v1" for the core group.
            throw new ApiException(StatusErrors.BadRequest(
                $"cannot bind token to object of type {(version.Contains('/', StringComparison.Ordinal) ? version : "/" + version)}, Kind={kind} (nodedaemon-sim binds tokens to Nodes only)"));
        }

        var nodeName = (string?)reference["name"] ?? "";
        var node = _store.Get(ResourceTypes.Nodes, null, nodeName) ?? throw new ApiException(StatusErrors.NotFound(ResourceTypes.Nodes, nodeName));
        var nodeUid = ObjectMeta.Uid(node) ?? "";
        if ((string?)reference["uid"] is { Length: > 0 } uid && uid != nodeUid)
        {
            throw new ApiException(StatusErrors.Status(409, "Conflict",
                $"Operation cannot be fulfilled on Node \"{nodeName}\": the UID in the bound object reference ({uid}) does not match the UID in record ({nodeUid}). The object might have been deleted and then recreated",
                new JsonObject { ["name"] = nodeName, ["kind"] = "Node" }));
        }

        var audiences = spec["audiences"] is JsonArray { Count: > 0 } given ? [.. given.Select(a => (string?)a ?? "")] : new[] { ServiceAccountTokens.Issuer };
        var now = _store.Time.GetUtcNow();
        var lifetime = TimeSpan.FromSeconds(seconds);
        var token = _tokens.Mint(ns, name, accountUid, nodeName, nodeUid, now, lifetime, audiences);
        await HttpIo.WriteJsonAsync(context, 201, new JsonObject
        {
            ["kind"] = "TokenRequest",
            ["apiVersion"] = "authentication.k8s.io/v1",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["creationTimestamp"] = null },
            ["spec"] = new JsonObject
            {
                ["audiences"] = new JsonArray([.. audiences.Select(a => (JsonNode)a)]),
                ["expirationSeconds"] = seconds,
                ["boundObjectRef"] = reference.DeepClone(),
            },
            ["status"] = new JsonObject
            {
                ["token"] = token,
                ["expirationTimestamp"] = ObjectMeta.Timestamp(now + lifetime),
            },
        });
    }
}
