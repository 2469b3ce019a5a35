using System.Text.Json.Nodes;
using NodeDaemon.Kubernetes.Annotations;

namespace NodeDaemon.Kubernetes.Drain;

/// <summary>What a drain needs to know about one pod on the node.</summary>
/// <param name="Namespace">The pod's namespace.</param>
/// <param name="Name">The pod's name.</param>
/// <param name="Uid">The pod's uid: a replacement under the same name has another.</param>
/// <param name="DaemonSet">Controlled by a DaemonSet (it would come straight back; skipped).</param>
/// <param name="Mirror">A mirror of a static pod (the API cannot evict it; skipped).</param>
/// <param name="EmptyDir">Uses an emptyDir volume, whose data the drain destroys.</param>
/// <param name="Controlled">Has a controller owner that recreates it.</param>
/// <param name="Finished">Succeeded or Failed: nothing runs, nothing is lost.</param>
/// <param name="Terminating">Already being deleted: only wait for it.</param>
internal sealed record DrainPod(string Namespace, string Name, string Uid, bool DaemonSet, bool Mirror, bool EmptyDir, bool Controlled, bool Finished, bool Terminating)
{
    /// <summary>The pod's labels: which disruption budgets select it.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>Whether the pod's Ready condition is True: a budget lets a pod that is not Ready go on other terms.</summary>
    public bool Ready { get; init; } = true;

    /// <summary><c>namespace/name</c>.</summary>
    public string Key => $"{Namespace}/{Name}";

    /// <summary>Reads a Pod object.</summary>
    public static DrainPod Read(JsonNode pod)
    {
        var metadata = pod["metadata"];
        var controller = (metadata?["ownerReferences"] as JsonArray)?
            .FirstOrDefault(o => o?["controller"] is JsonValue c && c.TryGetValue<bool>(out var isController) && isController);
        var phase = NodeReader.Text(pod["status"]?["phase"]);
        return new DrainPod(
            NodeReader.Text(metadata?["namespace"]),
            NodeReader.Text(metadata?["name"]),
            NodeReader.Text(metadata?["uid"]),
            controller is not null && NodeReader.Text(controller["kind"]) == "DaemonSet",
            metadata?["annotations"]?["kubernetes.io/config.mirror"] is not null,
            (pod["spec"]?["volumes"] as JsonArray)?.Any(v => v?["emptyDir"] is not null) ?? false,
            controller is not null,
            phase is "Succeeded" or "Failed",
            metadata?["deletionTimestamp"] is not null)
        {
            Labels = NodeReader.Map(metadata?["labels"]),
            Ready = (pod["status"]?["conditions"] as JsonArray)?
                .Any(c => NodeReader.Text(c?["type"]) == "Ready" && NodeReader.Text(c?["status"]) == "True") ?? false,
        };
    }
}
