namespace NodeDaemon.Sim.KubeApi.Store;

/// <summary>The resources the test API server serves, with the field selectors the real server accepts for each.</summary>
public static class ResourceTypes
{
    private static readonly string[] _meta = ["metadata.name", "metadata.namespace"];

    /// <summary>core/v1 nodes.</summary>
    public static readonly ResourceType Nodes = new("", "v1", "nodes", "Node", false, "node", ["no"], [.. _meta, "spec.unschedulable"]);

    /// <summary>core/v1 pods.</summary>
    public static readonly ResourceType Pods = new("", "v1", "pods", "Pod", true, "pod", ["po"],
        [.. _meta, "spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName", "spec.hostNetwork",
            "status.phase", "status.podIP", "status.nominatedNodeName"]);

    /// <summary>core/v1 events.</summary>
    public static readonly ResourceType Events = new("", "v1", "events", "Event", true, "event", ["ev"],
        [.. _meta, "involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid",
            "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason", "reportingComponent",
            "source", "type"]);

    /// <summary>core/v1 namespaces.</summary>
    public static readonly ResourceType Namespaces = new("", "v1", "namespaces", "Namespace", false, "namespace", ["ns"], [.. _meta, "status.phase"]);

    /// <summary>core/v1 serviceaccounts: only their <c>token</c> subresource (TokenRequest) is used by clients here.</summary>
    public static readonly ResourceType ServiceAccounts = new("", "v1", "serviceaccounts", "ServiceAccount", true, "serviceaccount", ["sa"], _meta);

    /// <summary>apps/v1 daemonsets (kubectl drain GETs the owner of every DaemonSet pod).</summary>
    public static readonly ResourceType DaemonSets = new("apps", "v1", "daemonsets", "DaemonSet", true, "daemonset", ["ds"], _meta);

    /// <summary>apps/v1 replicasets.</summary>
    public static readonly ResourceType ReplicaSets = new("apps", "v1", "replicasets", "ReplicaSet", true, "replicaset", ["rs"], _meta);

    /// <summary>apps/v1 statefulsets.</summary>
    public static readonly ResourceType StatefulSets = new("apps", "v1", "statefulsets", "StatefulSet", true, "statefulset", ["sts"], _meta);

    /// <summary>policy/v1 poddisruptionbudgets.</summary>
    public static readonly ResourceType PodDisruptionBudgets = new("policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget", true,
        "poddisruptionbudget", ["pdb"], _meta);

    /// <summary>coordination.k8s.io/v1 leases: created by a PUT when missing, and a PUT must name a resourceVersion.</summary>
    public static readonly ResourceType Leases = new("coordination.k8s.io", "v1", "leases", "Lease", true, "lease", [], _meta)
    {
        CreateOnUpdate = true,
        UnconditionalUpdate = false,
    };

    /// <summary>events.k8s.io/v1 events (stored apart from core/v1 events here; one storage in a real cluster).</summary>
    public static readonly ResourceType EventsV1 = new("events.k8s.io", "v1", "events", "Event", true, "event", ["ev"],
        [.. _meta, "regarding.kind", "regarding.namespace", "regarding.name", "reason", "type", "reportingController"]);

    /// <summary>Every served resource.</summary>
    public static IReadOnlyList<ResourceType> All { get; } =
        [Nodes, Pods, Events, Namespaces, ServiceAccounts, DaemonSets, ReplicaSets, StatefulSets, PodDisruptionBudgets, Leases, EventsV1];

    /// <summary>The resource at <c>group/version/resource</c>, or null.</summary>
    public static ResourceType? Find(string group, string version, string resource) =>
        All.FirstOrDefault(t => t.Group == group && t.Version == version && t.Resource == resource);

    /// <summary>The resource whose objects carry this <c>apiVersion</c> and <c>kind</c>, or null.</summary>
    public static ResourceType? ForKind(string? apiVersion, string? kind) =>
        All.FirstOrDefault(t => t.ApiVersion == apiVersion && t.Kind == kind);
}
