using NodeDaemon.Sim.KubeApi.Store;

namespace NodeDaemon.Sim.KubeApi.Handlers;

/// <summary>A resource URL taken apart: <c>/api/v1/namespaces/{ns}/pods/{name}/eviction</c>, <c>/apis/{g}/{v}/watch/...</c>.</summary>
/// <param name="Type">The resource.</param>
/// <param name="Namespace">The namespace in the path, or null.</param>
/// <param name="Name">The object name, or null for a collection.</param>
/// <param name="Subresource">The subresource (<c>eviction</c>, <c>status</c>), or null.</param>
/// <param name="WatchPath">Whether the deprecated <c>/watch/</c> path form was used.</param>
internal sealed record RequestTarget(ResourceType Type, string? Namespace, string? Name, string? Subresource, bool WatchPath)
{
    /// <summary>The resource as counted and as fault rules name it: <c>pods</c> or <c>pods/eviction</c>.</summary>
    public string CountedResource => Subresource is null ? Type.Resource : $"{Type.Resource}/{Subresource}";

    /// <summary>Parses a path; null when it is not a served resource URL.</summary>
    public static RequestTarget? Parse(string path)
    {
        var segments = path.Trim('/').Split('/');
        string group, version;
        string[] rest;
        if (segments.Length >= 3 && segments[0] == "api")
        {
            (group, version, rest) = ("", segments[1], segments[2..]);
        }
        else if (segments.Length >= 4 && segments[0] == "apis")
        {
            (group, version, rest) = (segments[1], segments[2], segments[3..]);
        }
        else
        {
            return null;
        }

        var watch = rest[0] == "watch";
        if (watch)
        {
            rest = rest[1..];
        }

        string? ns = null;
        if (rest.Length >= 3 && rest[0] == "namespaces")
        {
            ns = rest[1];
            rest = rest[2..];
        }

        if (rest.Length is 0 or > 3 || ResourceTypes.Find(group, version, rest[0]) is not { } type)
        {
            return null;
        }

        if ((ns is not null && !type.Namespaced) || rest.Any(s => s.Length == 0))
        {
            return null;
        }

        var name = rest.Length > 1 ? rest[1] : null;
        var sub = rest.Length > 2 ? rest[2] : null;
        if (sub is not null && !(sub == "status" || (sub == "eviction" && type == ResourceTypes.Pods) || (sub == "token" && type == ResourceTypes.ServiceAccounts)))
        {
            return null;
        }

        if (name is not null && type.Namespaced && ns is null)
        {
            return null;
        }

        return new RequestTarget(type, ns, name, sub, watch);
    }
}
