using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using NodeDaemon.Sim.KubeApi.Handlers;
using NodeDaemon.Sim.KubeApi.Store;

namespace NodeDaemon.Sim.KubeApi.Auth;

/// <summary>
/// The test API server's authentication and authorization mode: a bearer token names a user (the admin token of the
/// default kubeconfig is in <c>system:masters</c>; each service account of the manifest has its own token), and a request
/// is served only when the <see cref="RbacPolicy"/> allows it; otherwise 401 or 403 with the real server's Status.
/// </summary>
public sealed class ApiAuthorization
{
    private readonly Dictionary<string, ApiUser> _tokens = new(StringComparer.Ordinal);

    /// <summary>A mode over <paramref name="policy"/>; the daemon's identity is the manifest's service account
    /// <paramref name="daemonNamespace"/>/<paramref name="daemonName"/>.</summary>
    public ApiAuthorization(RbacPolicy policy, string daemonNamespace = "nodedaemon", string daemonName = "nodedaemon")
    {
        ArgumentNullException.ThrowIfNull(policy);
        Policy = policy;
        _tokens[Kubeconfig.Token] = ApiUser.Admin;
        foreach (var (ns, name) in policy.ServiceAccounts)
        {
            _tokens[TokenFor(ns, name)] = ApiUser.ServiceAccount(ns, name);
        }

        DaemonToken = TokenFor(daemonNamespace, daemonName);
        if (!_tokens.ContainsKey(DaemonToken))
        {
            throw new ArgumentException($"the RBAC manifest creates no ServiceAccount {daemonNamespace}/{daemonName}", nameof(daemonName));
        }
    }

    /// <summary>The RBAC manifest the repository ships (docs/rbac.yaml, copied next to the simulator).</summary>
    public static string ShippedManifest => Path.Combine(AppContext.BaseDirectory, "KubeApi", "rbac.yaml");

    /// <summary>The rules in force.</summary>
    public RbacPolicy Policy { get; }

    /// <summary>The bearer token of the daemon's service account.</summary>
    public string DaemonToken { get; }

    /// <summary>The mode over the shipped manifest.</summary>
    public static ApiAuthorization Shipped() => new(RbacPolicy.Load(ShippedManifest));

    /// <summary>The token that authenticates as the service account <paramref name="ns"/>/<paramref name="name"/>.</summary>
    public static string TokenFor(string ns, string name) => $"serviceaccount-{ns}-{name}";

    /// <summary>Null when the request may go on; else the 401 or 403 Status to answer with.</summary>
    internal JsonObject? Check(HttpContext context, RequestTarget? target, string verb, string path)
    {
        var header = context.Request.Headers.Authorization.ToString();
        ApiUser user;
        if (header.Length == 0)
        {
            user = ApiUser.Anonymous;
        }
        else if (!header.StartsWith("Bearer ", StringComparison.Ordinal) || !_tokens.TryGetValue(header["Bearer ".Length..].Trim(), out user!))
        {
            return StatusErrors.Status(401, "Unauthorized", "Unauthorized");
        }

        var request = target is null
            ? new RequestAttributes(verb, "", null, null, "", "", path)
            : new RequestAttributes(verb, target.Type.Group, target.Type.Resource, target.Subresource, target.Namespace ?? "",
                target.Name ?? (verb is "list" or "watch" ? RequestAttributes.NameFromFieldSelector(context.Request.Query["fieldSelector"]) : ""), path);
        return Policy.Allows(user, request) ? null : Forbidden(user, request);
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
