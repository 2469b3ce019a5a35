using System.Text.Json.Nodes;
using NodeDaemon.Sim.KubeApi.Store;

namespace NodeDaemon.Sim.KubeApi.Handlers;

/// <summary>
/// Legacy (unaggregated) discovery documents: <c>/version</c>, <c>/api</c>, <c>/api/v1</c>, <c>/apis</c>,
/// <c>/apis/{group}</c>, <c>/apis/{group}/{version}</c>. kubectl asks for aggregated discovery first and falls back to
/// these when the answer is plain <c>application/json</c>.
/// </summary>
internal static class Discovery
{
    private static readonly string[] _allVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];
    private static readonly string[] _statusVerbs = ["get", "patch", "update"];

    /// <summary>The discovery document for a path, or null when the path is not a discovery path.</summary>
    public static JsonObject? For(string path, string hostPort) => path.TrimEnd('/') switch
    {
        "/version" => Version(),
        "/api" => new JsonObject
        {
            ["kind"] = "APIVersions",
            ["versions"] = new JsonArray("v1"),
            ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = hostPort }),
        },
        "/api/v1" => ResourceList("", "v1"),
        "/apis" => new JsonObject
        {
            ["kind"] = "APIGroupList",
            ["apiVersion"] = "v1",
            ["groups"] = new JsonArray([.. Groups().Select(g => (JsonNode)Group(g))]),
        },
        var p when p.StartsWith("/apis/", StringComparison.Ordinal) => GroupPath(p["/apis/".Length..]),
        _ => null,
    };

    private static JsonObject Version() => new()
    {
        ["major"] = "1",
        ["minor"] = "33",
        ["emulationMajor"] = "1",
        ["emulationMinor"] = "33",
        ["gitVersion"] = "v1.33.0-nodedaemon-sim",
        ["gitCommit"] = "0000000000000000000000000000000000000000",
        ["gitTreeState"] = "clean",
        ["buildDate"] = "2025-01-01T00:00:00Z",
        ["goVersion"] = "go1.24.0",
        ["compiler"] = "gc",
        ["platform"] = "linux/amd64",
    };

    private static IEnumerable<string> Groups() => ResourceTypes.All.Where(t => t.Group.Length > 0).Select(t => t.Group).Distinct();

    private static JsonObject? GroupPath(string rest)
    {
        var parts = rest.Split('/');
        if (!Groups().Contains(parts[0]))
        {
            return null;
        }

        return parts.Length switch
        {
            1 => Group(parts[0]).Also(g => { g["kind"] = "APIGroup"; g["apiVersion"] = "v1"; }),
            2 when ResourceTypes.All.Any(t => t.Group == parts[0] && t.Version == parts[1]) => ResourceList(parts[0], parts[1]),
            _ => null,
        };
    }

    private static JsonObject Group(string group)
    {
        var version = ResourceTypes.All.First(t => t.Group == group).Version;
        var groupVersion = new JsonObject { ["groupVersion"] = $"{group}/{version}", ["version"] = version };
        return new JsonObject
        {
            ["name"] = group,
            ["versions"] = new JsonArray(groupVersion),
            ["preferredVersion"] = groupVersion.DeepClone(),
        };
    }

    private static JsonObject ResourceList(string group, string version)
    {
        var resources = new JsonArray();
        foreach (var type in ResourceTypes.All.Where(t => t.Group == group && t.Version == version))
        {
            var entry = new JsonObject
            {
                ["name"] = type.Resource,
                ["singularName"] = type.SingularName,
                ["namespaced"] = type.Namespaced,
                ["kind"] = type.Kind,
                ["verbs"] = new JsonArray([.. _allVerbs.Select(v => (JsonNode)v)]),
            };
            if (type.ShortNames.Count > 0)
            {
                entry["shortNames"] = new JsonArray([.. type.ShortNames.Select(s => (JsonNode)s)]);
            }

            resources.Add(entry);
            if (type == ResourceTypes.Pods)
            {
                // kubectl drain looks for this entry to decide that the cluster supports eviction, and which version.
                resources.Add(new JsonObject
                {
                    ["name"] = "pods/eviction",
                    ["singularName"] = "",
                    ["namespaced"] = true,
                    ["group"] = "policy",
                    ["version"] = "v1",
                    ["kind"] = "Eviction",
                    ["verbs"] = new JsonArray("create"),
                });
            }

            if (type == ResourceTypes.ServiceAccounts)
            {
                // The TokenRequest subresource, as a real server lists it (kubectl create token looks for it).
                resources.Add(new JsonObject
                {
                    ["name"] = "serviceaccounts/token",
                    ["singularName"] = "",
                    ["namespaced"] = true,
                    ["group"] = "authentication.k8s.io",
                    ["version"] = "v1",
                    ["kind"] = "TokenRequest",
                    ["verbs"] = new JsonArray("create"),
                });
            }

            if (type == ResourceTypes.Pods || type == ResourceTypes.Nodes || type == ResourceTypes.PodDisruptionBudgets)
            {
                resources.Add(new JsonObject
                {
                    ["name"] = $"{type.Resource}/status",
                    ["singularName"] = "",
                    ["namespaced"] = type.Namespaced,
                    ["kind"] = type.Kind,
                    ["verbs"] = new JsonArray([.. _statusVerbs.Select(v => (JsonNode)v)]),
                });
            }
        }

        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}",
            ["resources"] = resources,
        };
    }
}
