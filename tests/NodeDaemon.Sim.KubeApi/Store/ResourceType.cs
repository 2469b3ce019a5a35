namespace NodeDaemon.Sim.KubeApi.Store;

/// <summary>One served resource: where it lives in the URL space, its kind and whether it is namespaced.</summary>
public sealed record ResourceType(
    string Group,
    string Version,
    string Resource,
    string Kind,
    bool Namespaced,
    string SingularName,
    IReadOnlyList<string> ShortNames,
    IReadOnlyList<string> FieldLabels)
{
    /// <summary>The <c>apiVersion</c> of its objects: <c>v1</c> or <c>group/version</c>.</summary>
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>The group-qualified resource as the real server names it in error messages (<c>leases.coordination.k8s.io</c>).</summary>
    public string Qualified => Group.Length == 0 ? Resource : $"{Resource}.{Group}";

    /// <summary>A PUT of a missing object creates it (the registry strategy's <c>AllowCreateOnUpdate</c>; true for
    /// Leases, kubernetes <c>pkg/registry/coordination/lease/strategy.go</c>).</summary>
    public bool CreateOnUpdate { get; init; }

    /// <summary>A PUT without <c>metadata.resourceVersion</c> overwrites whatever is stored (<c>AllowUnconditionalUpdate</c>);
    /// false for Leases, whose PUT must name the version it replaces.</summary>
    public bool UnconditionalUpdate { get; init; } = true;

    /// <summary>The kind of its list, e.g. <c>NodeList</c>.</summary>
    public string ListKind => Kind + "List";
}
