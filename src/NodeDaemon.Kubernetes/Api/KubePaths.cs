namespace NodeDaemon.Kubernetes.Api;

/// <summary>API paths and query strings the client uses, escaped once here.</summary>
internal static class KubePaths
{
    /// <summary>The content type of an RFC 7386 merge patch.</summary>
    public const string MergePatch = "application/merge-patch+json";

    /// <summary>The strategic merge patch media type: lists with a patchMergeKey (a node's conditions: <c>type</c>) merge by it.</summary>
    public const string StrategicMergePatch = "application/strategic-merge-patch+json";

    /// <summary>The content type of a JSON body.</summary>
    public const string Json = "application/json";

    /// <summary>The Accept of a list that needs only each object's metadata, with the typed list as the fallback.</summary>
    /// <remarks>
    /// The JSON part of what client-go's metadata client sends (<c>metadata.go</c>, <c>List</c>). The server then answers
    /// a <c>PartialObjectMetadataList</c> (<c>meta.k8s.io/v1</c>) whose items are <c>kind</c>, <c>apiVersion</c> and
    /// <c>metadata</c>: a Node's status (its image list alone is often tens of KB) stays on the server. A server that
    /// cannot convert answers the typed list, which has the same <c>items[].metadata</c>.
    /// </remarks>
    public const string MetadataList = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json";

    /// <summary>One node.</summary>
    public static string Node(string name) => $"api/v1/nodes/{Esc(name)}";

    /// <summary>The node's status subresource (its conditions).</summary>
    public static string NodeStatus(string name) => Node(name) + "/status";

    /// <summary>The list of the one node (a list carries the resourceVersion a watch starts from).</summary>
    public static string NodeList(string name) => $"api/v1/nodes?fieldSelector={Esc("metadata.name=" + name)}";

    /// <summary>A watch of the one node from <paramref name="resourceVersion"/>.</summary>
    /// <remarks>An empty <paramref name="resourceVersion"/> is left out: the watch then starts with the node's current state.</remarks>
    public static string NodeWatch(string name, string resourceVersion, int timeoutSeconds) =>
        $"api/v1/nodes?watch=true&fieldSelector={Esc("metadata.name=" + name)}" +
        (resourceVersion.Length > 0 ? $"&resourceVersion={Esc(resourceVersion)}" : "") +
        $"&allowWatchBookmarks=true&timeoutSeconds={timeoutSeconds}";

    /// <summary>The pods on a node across namespaces, optionally narrowed by a label selector.</summary>
    public static string PodsOnNode(string node, string labelSelector = "") =>
        $"api/v1/pods?fieldSelector={Esc("spec.nodeName=" + node)}" + (labelSelector.Length > 0 ? $"&labelSelector={Esc(labelSelector)}" : "");

    /// <summary>A watch of the pods on a node from <paramref name="resourceVersion"/>.</summary>
    public static string PodsOnNodeWatch(string node, string resourceVersion, int timeoutSeconds) =>
        $"api/v1/pods?watch=true&fieldSelector={Esc("spec.nodeName=" + node)}&resourceVersion={Esc(resourceVersion)}" +
        $"&allowWatchBookmarks=true&timeoutSeconds={timeoutSeconds}";

    /// <summary>One pod.</summary>
    public static string Pod(string ns, string name) => $"api/v1/namespaces/{Esc(ns)}/pods/{Esc(name)}";

    /// <summary>A pod's eviction subresource.</summary>
    public static string Eviction(string ns, string name) => Pod(ns, name) + "/eviction";

    /// <summary>The policy/v1 PodDisruptionBudgets of a namespace.</summary>
    public static string Budgets(string ns) => $"apis/policy/v1/namespaces/{Esc(ns)}/poddisruptionbudgets";

    /// <summary>A watch of the PodDisruptionBudgets of a namespace from <paramref name="resourceVersion"/>.</summary>
    /// <remarks>An empty <paramref name="resourceVersion"/> is left out: the watch then starts with every budget as ADDED.</remarks>
    public static string BudgetsWatch(string ns, string resourceVersion, int timeoutSeconds) =>
        $"{Budgets(ns)}?watch=true" + (resourceVersion.Length > 0 ? $"&resourceVersion={Esc(resourceVersion)}" : "") +
        $"&allowWatchBookmarks=true&timeoutSeconds={timeoutSeconds}";

    /// <summary>A streaming list of the PodDisruptionBudgets of a namespace: every budget as ADDED, then a BOOKMARK marking the
    /// end of that state, then the changes (kube-apiserver's WatchList, which wants exactly these options).</summary>
    public static string BudgetsStream(string ns, int timeoutSeconds) =>
        $"{Budgets(ns)}?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&timeoutSeconds={timeoutSeconds}";

    /// <summary>The core/v1 events of a namespace.</summary>
    public static string Events(string ns) => $"api/v1/namespaces/{Esc(ns)}/events";

    /// <summary>One core/v1 event.</summary>
    public static string Event(string ns, string name) => $"{Events(ns)}/{Esc(name)}";

    /// <summary>The nodes carrying a label <paramref name="key"/> with exactly <paramref name="value"/> (which may be empty).</summary>
    public static string NodesLabelled(string key, string value) => NodesSelected(key + "=" + value);

    /// <summary>The nodes <paramref name="labelSelector"/> selects.</summary>
    public static string NodesSelected(string labelSelector) => $"api/v1/nodes?labelSelector={Esc(labelSelector)}";

    /// <summary>The first <paramref name="limit"/> nodes (in name order, as the API lists them) that <paramref name="labelSelector"/> selects.</summary>
    public static string NodesSelected(string labelSelector, int limit) =>
        $"{NodesSelected(labelSelector)}&limit={limit.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    /// <summary>The coordination.k8s.io/v1 Leases of a namespace.</summary>
    public static string Leases(string ns) => $"apis/coordination.k8s.io/v1/namespaces/{Esc(ns)}/leases";

    /// <summary>The Leases of a namespace that <paramref name="labelSelector"/> selects.</summary>
    public static string LeasesSelected(string ns, string labelSelector) => $"{Leases(ns)}?labelSelector={Esc(labelSelector)}";

    /// <summary>A watch of the Leases of a namespace that <paramref name="labelSelector"/> selects, from <paramref name="resourceVersion"/>.</summary>
    public static string LeaseWatch(string ns, string labelSelector, string resourceVersion, int timeoutSeconds) =>
        $"{LeasesSelected(ns, labelSelector)}&watch=true&resourceVersion={Esc(resourceVersion)}&allowWatchBookmarks=true&timeoutSeconds={timeoutSeconds}";

    /// <summary>One Lease.</summary>
    public static string Lease(string ns, string name) => $"{Leases(ns)}/{Esc(name)}";

    /// <summary>The field manager every write names, so <c>metadata.managedFields</c> says which fields the daemon set.</summary>
    public const string FieldManager = "nodedaemon";

    /// <summary><paramref name="path"/> with <c>fieldManager</c> added when <paramref name="method"/> writes (POST, PUT, PATCH).</summary>
    /// <remarks>
    /// kube-apiserver reads <c>fieldManager</c> from the Create, Update and Patch options (the eviction subresource's create
    /// too); a GET or a watch has no such option, and a DELETE's options have none either, so only the three write verbs carry it.
    /// </remarks>
    public static string WithFieldManager(HttpMethod method, string path) =>
        method == HttpMethod.Post || method == HttpMethod.Put || method == HttpMethod.Patch
            ? path + (path.Contains('?', StringComparison.Ordinal) ? '&' : '?') + "fieldManager=" + FieldManager
            : path;

    private static string Esc(string value) => Uri.EscapeDataString(value);
}
