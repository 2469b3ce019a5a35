namespace NodeDaemon.Sim.KubeApi.Auth;

/// <summary>What authorization decides on, after apiserver <c>pkg/endpoints/request/requestinfo.go</c>.</summary>
/// <param name="Verb">get, list, watch, create, update, patch, delete, deletecollection (for a non-resource path: the lower-case HTTP method).</param>
/// <param name="Group">The API group (<c>""</c> for core).</param>
/// <param name="Resource">The resource (<c>pods</c>); null for a non-resource path.</param>
/// <param name="Subresource">The subresource (<c>eviction</c>, <c>status</c>), or null.</param>
/// <param name="Namespace">The namespace, or empty for a cluster-scoped request.</param>
/// <param name="Name">The object's name; for a list or watch, the name a <c>metadata.name=</c> field selector requires.</param>
/// <param name="Path">The URL path.</param>
public sealed record RequestAttributes(string Verb, string Group, string? Resource, string? Subresource, string Namespace, string Name, string Path)
{
    /// <summary>A request for a resource, not a path like <c>/version</c>.</summary>
    public bool IsResourceRequest => Resource is not null;

    /// <summary><c>pods/eviction</c>, or <c>pods</c>: how a rule names what it grants.</summary>
    public string CombinedResource => Subresource is null ? Resource ?? "" : $"{Resource}/{Subresource}";

    /// <summary>The name a list or watch asks for through <c>fieldSelector=metadata.name=X</c> (or <c>==</c>), else empty.</summary>
    public static string NameFromFieldSelector(string? fieldSelector)
    {
        foreach (var term in (fieldSelector ?? "").Split(','))
        {
            foreach (var prefix in (string[])["metadata.name==", "metadata.name="])
            {
                if (term.StartsWith(prefix, StringComparison.Ordinal))
                {
                    return term[prefix.Length..];
                }
            }
        }

        return "";
    }
}
