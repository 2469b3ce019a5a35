using System.Text.Json.Nodes;
using NodeDaemon.Sim.KubeApi.Store;

namespace NodeDaemon.Sim.KubeApi.Controllers;

/// <summary>
/// What moves a Node under its agent on a real cluster, each as its own write a moment after the cause, so a client holding
/// the node's resourceVersion meets 409 on its next conditional write:
/// <list type="bullet">
/// <item>the node lifecycle controller's <c>TaintNodesByCondition</c> pass (kubernetes
/// <c>pkg/controller/nodelifecycle/node_lifecycle_controller.go</c>, <c>doNoScheduleTaintingPass</c>): a node with
/// <c>spec.unschedulable</c> gets the taint <c>node.kubernetes.io/unschedulable:NoSchedule</c> (with <c>timeAdded</c>, as
/// <c>SwapNodeControllerTaint</c> sets it), and loses it when the cordon is lifted;</item>
/// <item>the kubelet's status report (<c>pkg/kubelet/kubelet_node_status.go</c>, <c>tryUpdateNodeStatus</c>): with node
/// leases the kubelet patches the Node's status only when it changed or every <c>nodeStatusReportFrequency</c> (5 min by
/// default), each report carrying new <c>lastHeartbeatTime</c>s on the conditions.</item>
/// </list>
/// </summary>
public sealed class NodeLifecycle : IStoreReactor
{
    /// <summary>The taint the node lifecycle controller keeps on a cordoned node.</summary>
    public const string UnschedulableTaint = "node.kubernetes.io/unschedulable";

    private readonly SimScheduler _scheduler;
    private readonly TimeSpan _taintDelay;
    private readonly TimeSpan? _statusReport;
    private ObjectStore? _store;

    /// <summary>A controller tainting cordoned nodes <paramref name="taintDelay"/> (nominal) after the cordon, and kubelets
    /// reporting every <paramref name="statusReport"/> (nominal; null: never).</summary>
    public NodeLifecycle(SimScheduler scheduler, TimeSpan taintDelay, TimeSpan? statusReport)
    {
        _scheduler = scheduler;
        _taintDelay = taintDelay;
        _statusReport = statusReport;
    }

    /// <summary>Starts the kubelets' periodic reports on <paramref name="store"/>.</summary>
    public void Start(ObjectStore store)
    {
        _store = store;
        if (_statusReport is { } every)
        {
            _scheduler.After(every, ReportAll);
        }
    }

    /// <inheritdoc/>
    public void OnChange(ObjectStore store, StoreEvent change)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(change);
        if (change.Resource == ResourceTypes.Nodes && change.Type != "DELETED" && Unschedulable(change.Item) != Tainted(change.Item))
        {
            var name = ObjectMeta.Name(change.Item)!;
            _scheduler.After(_taintDelay, () => Reconcile(store, name));
        }
    }

    private static void Reconcile(ObjectStore store, string name)
    {
        lock (store.Gate)
        {
            if (store.Get(ResourceTypes.Nodes, null, name) is not { } node || Unschedulable(node) == Tainted(node))
            {
                return;
            }

            store.Update(ResourceTypes.Nodes, null, name, n =>
            {
                var spec = n["spec"] as JsonObject ?? [];
                n["spec"] = spec;
                var taints = new JsonArray([.. (spec["taints"] as JsonArray ?? []).Where(t => !IsUnschedulableTaint(t)).Select(t => t?.DeepClone())]);
                if (Unschedulable(n))
                {
                    taints.Add(new JsonObject
                    {
                        ["key"] = UnschedulableTaint,
                        ["effect"] = "NoSchedule",
                        ["timeAdded"] = ObjectMeta.Timestamp(store.Time.GetUtcNow()),
                    });
                }

                if (taints.Count > 0)
                {
                    spec["taints"] = taints;
                }
                else
                {
                    spec.Remove("taints");
                }

                return n;
            });
        }
    }

    private void ReportAll()
    {
        if (_store is not { } store || _statusReport is not { } every)
        {
            return;
        }

        lock (store.Gate)
        {
            var now = ObjectMeta.Timestamp(store.Time.GetUtcNow());
            foreach (var node in store.List(ResourceTypes.Nodes))
            {
                store.Update(ResourceTypes.Nodes, null, ObjectMeta.Name(node)!, n =>
                {
                    foreach (var condition in (n["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>())
                    {
                        condition["lastHeartbeatTime"] = now;
                    }

                    return n;
                });
            }
        }

        _scheduler.After(every, ReportAll);
    }

    private static bool Unschedulable(JsonObject node) => node["spec"]?["unschedulable"] is JsonValue v && v.TryGetValue<bool>(out var b) && b;

    private static bool Tainted(JsonObject node) => (node["spec"]?["taints"] as JsonArray ?? []).Any(IsUnschedulableTaint);

    private static bool IsUnschedulableTaint(JsonNode? taint) =>
        (string?)taint?["key"] == UnschedulableTaint && (string?)taint?["effect"] == "NoSchedule";
}
