using System.Text.Json.Nodes;
using NodeDaemon.Sim.KubeApi.Store;

namespace NodeDaemon.Sim.KubeApi.Handlers;

/// <summary>What a write may change, by subresource, as kube-apiserver's node strategies say (pkg/registry/core/node/strategy.go).</summary>
/// <remarks>
/// A write of <c>nodes/status</c> keeps the old <c>spec</c> (nodeStatusStrategy.PrepareForUpdate; metadata may change,
/// as upstream allows for nodes); a write of the node itself keeps the old <c>status</c> (nodeStrategy.PrepareForUpdate),
/// so conditions are only ever written through the status subresource, with its own RBAC rule.
/// </remarks>
internal static class SubresourceRules
{
    /// <summary><paramref name="patched"/> with the part <paramref name="target"/> may not change put back from <paramref name="current"/>.</summary>
    public static JsonObject Confine(RequestTarget target, JsonObject current, JsonObject patched)
    {
        if (target.Type != ResourceTypes.Nodes)
        {
            return patched;
        }

        var kept = target.Subresource == "status" ? "spec" : target.Subresource is null ? "status" : null;
        if (kept is not null)
        {
            patched.Remove(kept);
            if (current[kept] is { } old)
            {
                patched[kept] = old.DeepClone();
            }
        }

        return patched;
    }
}
