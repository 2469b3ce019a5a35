using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using NodeDaemon.Sim.KubeApi.Handlers;
using NodeDaemon.Sim.KubeApi.Store;

namespace NodeDaemon.Sim.KubeApi.Auth;

/// <summary>
/// The test API server's authentication and authorization mode: a bearer token names a user (the admin token of the
/// default kubeconfig is in <c>system:masters</c>; the daemon's service account authenticates only with a token minted by
/// this server's TokenRequest endpoint, bound to its Node), a request is served only when the <see cref="RbacPolicy"/>
/// allows it, and a write the <see cref="AdmissionPolicy"/> denies is refused; otherwise 401, 403 or the policy's answer
/// with the real server's Status.
/// </summary>
public sealed class ApiAuthorization
{
    private readonly Dictionary<(string Namespace, string Name), string> _accounts = [];

    /// <summary>A mode over <paramref name="policy"/> and <paramref name="admission"/> (null: no admission policy); the
    /// daemon's identity is the manifest's service account <paramref name="daemonNamespace"/>/<paramref name="daemonName"/>.</summary>
    public ApiAuthorization(RbacPolicy policy, AdmissionPolicy? admission = null, string daemonNamespace = "nodedaemon", string daemonName = "nodedaemon")
    {
        ArgumentNullException.ThrowIfNull(policy);
        Policy = policy;
        Admission = admission;
        if (!policy.ServiceAccounts.Contains((daemonNamespace, daemonName)))
        {
            throw new ArgumentException($"the RBAC manifest creates no ServiceAccount {daemonNamespace}/{daemonName}", nameof(daemonName));
        }

        DaemonAccount = (daemonNamespace, daemonName);
        foreach (var account in policy.ServiceAccounts)
        {
            _accounts[account] = Guid.NewGuid().ToString();
        }
    }

    /// <summary>The RBAC manifest the repository ships (docs/rbac.yaml, copied next to the simulator).</summary>
    public static string ShippedManifest => Path.Combine(AppContext.BaseDirectory, "KubeApi", "rbac.yaml");

    /// <summary>The rules in force.</summary>
    public RbacPolicy Policy { get; }

    /// <summary>The admission policy in force, or null.</summary>
    public AdmissionPolicy? Admission { get; }

    /// <summary>The daemon's service account.</summary>
    public (string Namespace, string Name) DaemonAccount { get; }

    /// <summary>What signs and reads the service-account tokens of this mode.</summary>
    public ServiceAccountTokens Tokens { get; } = new();

    /// <summary>The mode over the shipped manifest and the shipped admission policy.</summary>
    /// <remarks><paramref name="poolLabel"/>: the label naming a node's pool when it is not the policy file's (as an admin
    /// edits the file to match <c>fleet.poolLabel</c>).</remarks>
    public static ApiAuthorization Shipped(string? poolLabel = null)
    {
        var admission = AdmissionPolicy.Load(AdmissionPolicy.ShippedPolicy);
        return new(RbacPolicy.Load(ShippedManifest), poolLabel is null ? admission : admission with { PoolLabel = poolLabel });
    }

    /// <summary>The uid of a service account the manifest creates, or null when it creates none of that name.</summary>
    /// <remarks>Kept here rather than as objects in the store: a scenario may leave the manifest's namespace out on
    /// purpose (the Lease namespace missing), and the accounts must exist all the same.</remarks>
    public string? AccountUid(string ns, string name) => _accounts.GetValueOrDefault((ns, name));

    /// <summary>A token of the daemon's service account bound to Node <paramref name="nodeName"/>, valid for
    /// <paramref name="lifetime"/> from the server's now: what the install flow's TokenRequest hands a node. Throws
    /// <see cref="ApiException"/> 404 when the Node does not exist (as the TokenRequest endpoint does).</summary>
    public string MintDaemonToken(ObjectStore store, string nodeName, TimeSpan lifetime)
    {
        ArgumentNullException.ThrowIfNull(store);
        var node = store.Get(ResourceTypes.Nodes, null, nodeName) ?? throw new ApiException(StatusErrors.NotFound(ResourceTypes.Nodes, nodeName));
        return Tokens.Mint(DaemonAccount.Namespace, DaemonAccount.Name, AccountUid(DaemonAccount.Namespace, DaemonAccount.Name)!, nodeName,
            ObjectMeta.Uid(node) ?? "", store.Time.GetUtcNow(), lifetime, [ServiceAccountTokens.Issuer]);
    }

    /// <summary>
    /// The user a bearer token names, or null (401): the admin token, or a token this server minted that is within its
    /// lifetime by the server's clock, meant for this server, and whose service account and bound Node still exist with
    /// the uids it names (kubernetes <c>pkg/serviceaccount/claims.go</c> <c>Validate</c>, with
    /// <c>ServiceAccountTokenNodeBindingValidation</c>).
    /// </summary>
    public ApiUser? Authenticate(string token, ObjectStore store)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(store);
        if (token == Kubeconfig.Token)
        {
            return ApiUser.Admin;
        }

        if (Tokens.Read(token) is not { } claims)
        {
            return null;
        }

        var now = store.Time.GetUtcNow();
        if (now >= claims.Expiry || now < claims.NotBefore || !claims.Audiences.Contains(ServiceAccountTokens.Issuer, StringComparer.Ordinal))
        {
            return null;
        }

        if (AccountUid(claims.Namespace, claims.ServiceAccount) != claims.ServiceAccountUid)
        {
            return null;
        }

        var extra = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal) { [ApiUser.CredentialIdKey] = ["JTI=" + claims.Id] };
        if (claims.NodeName is { } nodeName)
        {
            if (store.Uid(ResourceTypes.Nodes, null, nodeName) is not { } nodeUid || nodeUid != claims.NodeUid)
            {
                return null;
            }

            extra[ApiUser.NodeNameKey] = [nodeName];
            extra[ApiUser.NodeUidKey] = [claims.NodeUid ?? ""];
        }

        return ApiUser.ServiceAccount(claims.Namespace, claims.ServiceAccount) with { Extra = extra };
    }

    /// <summary>The user of a request <see cref="Check"/> let through (the anonymous user when none was recorded).</summary>
    internal static ApiUser UserOf(HttpContext context) => context.Items[typeof(ApiUser)] as ApiUser ?? ApiUser.Anonymous;

    /// <summary>Null when the request may go on (its user recorded for admission); else the 401 or 403 Status to answer with.</summary>
    internal JsonObject? Check(HttpContext context, RequestTarget? target, string verb, string path, ObjectStore store)
    {
        var header = context.Request.Headers.Authorization.ToString();
        ApiUser user;
        if (header.Length == 0)
        {
            user = ApiUser.Anonymous;
        }
        else if (!header.StartsWith("Bearer ", StringComparison.Ordinal) || Authenticate(header["Bearer ".Length..].Trim(), store) is not { } known)
        {
            return StatusErrors.Status(401, "Unauthorized", "Unauthorized");
        }
        else
        {
            user = known;
        }

        var request = target is null
            ? new RequestAttributes(verb, "", null, null, "", "", path)
            : new RequestAttributes(verb, target.Type.Group, target.Type.Resource, target.Subresource, target.Namespace ?? "",
                target.Name ?? (verb is "list" or "watch" ? RequestAttributes.NameFromFieldSelector(context.Request.Query["fieldSelector"]) : ""), path);
        if (!Policy.Allows(user, request))
        {
            return Forbidden(user, request);
        }

        context.Items[typeof(ApiUser)] = user;
        return null;
    }

    /// <summary>Throws the admission policy's denial of a write by the request's user, if it denies it (no policy: never).</summary>
    internal void Admit(HttpContext context, RequestTarget target, string operation, string name, JsonObject? oldObject, JsonObject? newObject, ObjectStore store)
    {
        if (Admission is null)
        {
            return;
        }

        var request = new AdmissionRequest(UserOf(context), operation, target.Type, target.Subresource, name, newObject, oldObject);
        if (AdmissionRules.Admit(Admission, request, () => store.List(ResourceTypes.Nodes)) is { } denied)
        {
            throw new ApiException(denied);
        }
    }

    /// <summary>The 403 of apiserver <c>responsewriters.ForbiddenStatusError</c> (an empty authorizer reason) through
    /// apimachinery <c>NewForbidden</c>.</summary>
    public static JsonObject Forbidden(ApiUser user, RequestAttributes request)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(request);
        if (!request.IsResourceRequest)
        {
            return StatusErrors.Status(403, "Forbidden", $"forbidden: User \"{user.Name}\" cannot {request.Verb} path \"{request.Path}\"", []);
        }

        var scope = request.Namespace.Length > 0 ? $"in the namespace \"{request.Namespace}\"" : "at the cluster scope";
        var why = $"User \"{user.Name}\" cannot {request.Verb} resource \"{request.CombinedResource}\" in API group \"{request.Group}\" {scope}";
        var qualified = request.Group.Length > 0 ? $"{request.Resource}.{request.Group}" : request.Resource;
        var message = request.Name.Length > 0 ? $"{qualified} \"{request.Name}\" is forbidden: {why}" : $"{qualified} is forbidden: {why}";
        var details = new JsonObject();
        if (request.Name.Length > 0)
        {
            details["name"] = request.Name;
        }

        if (request.Group.Length > 0)
        {
            details["group"] = request.Group;
        }

        details["kind"] = request.Resource;
        return StatusErrors.Status(403, "Forbidden", message, details);
    }
}
