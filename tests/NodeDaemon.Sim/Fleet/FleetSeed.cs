using System.Globalization;
using System.Text.Json.Nodes;

namespace NodeDaemon.Sim.Fleet;

/// <summary>The API server's seed for a fleet: the pool's nodes, and per node a namespace with a 2-pod ReplicaSet under a budget.</summary>
/// <remarks>
/// One namespace per application keeps the simulated disruption controller's work per pod write small (it recomputes
/// the budgets of one namespace); a budget of <c>maxUnavailable: 1</c> over 2 replicas makes every drain wait for the
/// first pod's replacement to be Ready before the second may go, which is what real drains spend their time on.
/// </remarks>
public static class FleetSeed
{
    /// <summary>The label whose value names the pool.</summary>
    public const string PoolLabel = "nodedaemon.io/pool";

    /// <summary>The pool's name.</summary>
    public const string Pool = "workers";

    /// <summary>Where the slot Leases live.</summary>
    public const string LeaseNamespace = "nodedaemon";

    /// <summary>Pods per node.</summary>
    public const int PodsPerNode = 2;

    /// <summary>The name of node <paramref name="index"/>.</summary>
    public static string NodeName(int index) => string.Create(CultureInfo.InvariantCulture, $"node-{index:D3}");

    /// <summary>A Kubernetes <c>List</c> of <paramref name="nodes"/> nodes with their workloads.</summary>
    public static JsonObject Build(int nodes, TimeSpan podGrace)
    {
        var items = new JsonArray { Namespace(LeaseNamespace) };
        for (var i = 0; i < nodes; i++)
        {
            var node = NodeName(i);
            var app = "app-" + node;
            items.Add(new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Node",
                ["metadata"] = new JsonObject { ["name"] = node, ["labels"] = new JsonObject { [PoolLabel] = Pool, ["kubernetes.io/hostname"] = node } },
            });
            items.Add(Namespace(app));
            items.Add(new JsonObject
            {
                ["apiVersion"] = "apps/v1",
                ["kind"] = "ReplicaSet",
                ["metadata"] = new JsonObject { ["name"] = app, ["namespace"] = app, ["uid"] = "uid-rs-" + app },
                ["spec"] = new JsonObject { ["replicas"] = PodsPerNode, ["selector"] = Selector(app) },
            });
            items.Add(new JsonObject
            {
                ["apiVersion"] = "policy/v1",
                ["kind"] = "PodDisruptionBudget",
                ["metadata"] = new JsonObject { ["name"] = app, ["namespace"] = app },
                ["spec"] = new JsonObject { ["maxUnavailable"] = 1, ["selector"] = Selector(app) },
            });
            for (var p = 0; p < PodsPerNode; p++)
            {
                items.Add(Pod(app, string.Create(CultureInfo.InvariantCulture, $"{app}-{p}"), node, podGrace));
            }
        }

        return new JsonObject { ["apiVersion"] = "v1", ["kind"] = "List", ["items"] = items };
    }

    private static JsonObject Namespace(string name) =>
        new() { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = name } };

    private static JsonObject Selector(string app) => new() { ["matchLabels"] = new JsonObject { ["app"] = app } };

    private static JsonObject Pod(string app, string name, string node, TimeSpan grace) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Pod",
        ["metadata"] = new JsonObject
        {
            ["name"] = name,
            ["namespace"] = app,
            ["generateName"] = app + "-",
            ["labels"] = new JsonObject { ["app"] = app },
            ["ownerReferences"] = new JsonArray(new JsonObject
            {
                ["apiVersion"] = "apps/v1", ["kind"] = "ReplicaSet", ["name"] = app, ["uid"] = "uid-rs-" + app, ["controller"] = true,
            }),
        },
        ["spec"] = new JsonObject
        {
            ["nodeName"] = node,
            ["terminationGracePeriodSeconds"] = (int)grace.TotalSeconds,
            ["containers"] = new JsonArray(new JsonObject { ["name"] = "app", ["image"] = "registry.example.com/app:1" }),
        },
    };
}
