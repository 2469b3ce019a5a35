namespace NodeDaemon.Sim.KubeApi.Auth;

/// <summary>One rule of a Role or ClusterRole, matched after kubernetes <c>pkg/apis/rbac/v1/evaluation_helpers.go</c>.</summary>
/// <param name="Verbs">Verbs, or <c>*</c>.</param>
/// <param name="ApiGroups">API groups, or <c>*</c>.</param>
/// <param name="Resources">Resources (<c>pods</c>, <c>pods/eviction</c>, <c>*/status</c>), or <c>*</c>.</param>
/// <param name="ResourceNames">Names the rule is limited to; empty: any.</param>
/// <param name="NonResourceUrls">Paths (a trailing <c>*</c> is a prefix match), for non-resource requests.</param>
public sealed record RbacRule(IReadOnlyList<string> Verbs, IReadOnlyList<string> ApiGroups, IReadOnlyList<string> Resources,
    IReadOnlyList<string> ResourceNames, IReadOnlyList<string> NonResourceUrls)
{
    /// <summary>Whether this rule allows <paramref name="request"/> (RBAC's <c>RuleAllows</c>).</summary>
    public bool Allows(RequestAttributes request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!Has(Verbs, request.Verb))
        {
            return false;
        }

        if (!request.IsResourceRequest)
        {
            return NonResourceUrls.Any(url => url == "*" || url == request.Path
                || (url.EndsWith('*') && request.Path.StartsWith(url[..^1], StringComparison.Ordinal)));
        }

        return Has(ApiGroups, request.Group)
            && Resources.Any(r => r == "*" || r == request.CombinedResource || (request.Subresource is { } sub && r == "*/" + sub))
            && (ResourceNames.Count == 0 || ResourceNames.Contains(request.Name, StringComparer.Ordinal));
    }

    private static bool Has(IReadOnlyList<string> values, string value) =>
        values.Contains("*", StringComparer.Ordinal) || values.Contains(value, StringComparer.Ordinal);
}
