using System.Text.Json.Nodes;

namespace NodeDaemon.Sim.KubeApi.Auth;

/// <summary>
/// The Roles, ClusterRoles and their bindings of an RBAC manifest, deciding requests as the RBAC authorizer does
/// (kubernetes <c>plugin/pkg/auth/authorizer/rbac/rbac.go</c>): ClusterRoleBindings grant their role's rules everywhere,
/// RoleBindings only in their own namespace; a request is allowed when one rule of one role bound to the user allows it.
/// </summary>
/// <remarks>
/// The cluster's bootstrap policy is part of every real cluster, so the discovery paths it opens to every authenticated
/// user (<c>system:discovery</c>: <c>/api</c>, <c>/apis</c>, <c>/version</c>, ...) are granted here too. Aggregated
/// ClusterRoles are not modelled.
/// </remarks>
public sealed class RbacPolicy
{
    private static readonly RbacRule[] s_discovery =
    [
        new(["get"], [], [], [], ["/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/openapi", "/openapi/*", "/readyz", "/version", "/version/"]),
    ];

    private readonly Dictionary<string, List<RbacRule>> _clusterRoles = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Namespace, string Name), List<RbacRule>> _roles = [];
    private readonly List<Binding> _bindings = [];

    private RbacPolicy()
    {
    }

    /// <summary>The service accounts the manifest creates (<c>namespace/name</c>).</summary>
    public IReadOnlyList<(string Namespace, string Name)> ServiceAccounts { get; private set; } = [];

    /// <summary>The policy of a manifest's text.</summary>
    public static RbacPolicy Parse(string yaml)
    {
        var policy = new RbacPolicy();
        var accounts = new List<(string, string)>();
        foreach (var document in YamlDocuments.Parse(yaml))
        {
            var kind = Text(document["kind"]);
            var ns = Text(document["metadata"]?["namespace"]);
            var name = Text(document["metadata"]?["name"]);
            switch (kind)
            {
                case "ClusterRole":
                    policy._clusterRoles[name] = Rules(document);
                    break;
                case "Role":
                    policy._roles[(ns, name)] = Rules(document);
                    break;
                case "ClusterRoleBinding" or "RoleBinding":
                    policy._bindings.Add(new Binding(kind == "RoleBinding" ? ns : null, Text(document["roleRef"]?["kind"]), Text(document["roleRef"]?["name"]),
                        [.. (document["subjects"] as JsonArray ?? []).OfType<JsonObject>().Select(s => new Subject(Text(s["kind"]), Text(s["name"]), Text(s["namespace"])))]));
                    break;
                case "ServiceAccount":
                    accounts.Add((ns, name));
                    break;
                default:
                    break;
            }
        }

        policy.ServiceAccounts = accounts;
        return policy;
    }

    /// <summary>The policy of the manifest at <paramref name="path"/>.</summary>
    public static RbacPolicy Load(string path) => Parse(File.ReadAllText(path));

    /// <summary>Whether <paramref name="user"/> may do <paramref name="request"/>.</summary>
    public bool Allows(ApiUser user, RequestAttributes request)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(request);
        if (user.IsMaster || (user.IsAuthenticated && s_discovery.Any(r => r.Allows(request))))
        {
            return true;
        }

        foreach (var binding in _bindings)
        {
            // A RoleBinding grants only in its own namespace, so never a cluster-scoped request.
            if (binding.Namespace is { } bound && bound != request.Namespace)
            {
                continue;
            }

            if (!binding.Subjects.Any(s => s.Matches(user, binding.Namespace)))
            {
                continue;
            }

            var rules = binding.RoleKind switch
            {
                "ClusterRole" => _clusterRoles.GetValueOrDefault(binding.RoleName),
                "Role" when binding.Namespace is { } ns => _roles.GetValueOrDefault((ns, binding.RoleName)),
                _ => null,
            };
            if (rules?.Any(r => r.Allows(request)) == true)
            {
                return true;
            }
        }

        return false;
    }

    private static List<RbacRule> Rules(JsonObject role) =>
        [.. (role["rules"] as JsonArray ?? []).OfType<JsonObject>().Select(r => new RbacRule(
            Strings(r["verbs"]), Strings(r["apiGroups"]), Strings(r["resources"]), Strings(r["resourceNames"]), Strings(r["nonResourceURLs"])))];

    private static string[] Strings(JsonNode? node) => [.. (node as JsonArray ?? []).Select(Text)];

    private static string Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : "";

    /// <summary>A binding: where it grants (null: everywhere), the role, and whom.</summary>
    private sealed record Binding(string? Namespace, string RoleKind, string RoleName, IReadOnlyList<Subject> Subjects);

    /// <summary>One subject of a binding.</summary>
    private sealed record Subject(string Kind, string Name, string Namespace)
    {
        public bool Matches(ApiUser user, string? bindingNamespace) => Kind switch
        {
            "User" => user.Name == Name,
            "Group" => user.Groups.Contains(Name, StringComparer.Ordinal),
            "ServiceAccount" => user.Name == $"system:serviceaccount:{(Namespace.Length > 0 ? Namespace : bindingNamespace)}:{Name}",
            _ => false,
        };
    }
}
