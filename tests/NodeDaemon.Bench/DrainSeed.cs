using System.Text.Json.Nodes;

namespace NodeDaemon.Bench;

/// <summary>The drain benchmark's cluster: 60 ReplicaSet pods on node-a in 6 apps, each app under one budget.</summary>
internal static class DrainSeed
{
    public const string Namespace = "bench";
    public const int Apps = 6;
    public const int PodsPerApp = 10;

    /// <summary>A fresh seed (a <c>List</c>) for one server.</summary>
    public static JsonObject Build()
    {
        var items = new JsonArray();
        foreach (var node in new[] { "node-a", "node-b", "node-c" })
        {
            items.Add(new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Node",
                ["metadata"] = new JsonObject { ["name"] = node, ["labels"] = new JsonObject { ["kubernetes.io/hostname"] = node } },
            });
        }

        for (var app = 0; app < Apps; app++)
        {
            var name = $"app{app}";
            var rs = $"{name}-5f7c9d";
            var uid = $"00000000-0000-4000-8000-0000000000{app:D2}";
            items.Add(new JsonObject
            {
                ["apiVersion"] = "apps/v1",
                ["kind"] = "ReplicaSet",
                ["metadata"] = new JsonObject { ["name"] = rs, ["namespace"] = Namespace, ["uid"] = uid },
                ["spec"] = new JsonObject
                {
                    ["replicas"] = PodsPerApp,
                    ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = name } },
                },
            });
            for (var i = 0; i < PodsPerApp; i++)
            {
                items.Add(new JsonObject
                {
                    ["apiVersion"] = "v1",
                    ["kind"] = "Pod",
                    ["metadata"] = new JsonObject
                    {
                        ["name"] = $"{rs}-p{i:D2}",
                        ["namespace"] = Namespace,
                        ["generateName"] = rs + "-",
                        ["labels"] = new JsonObject { ["app"] = name },
                        ["ownerReferences"] = new JsonArray(new JsonObject
                        {
                            ["apiVersion"] = "apps/v1", ["kind"] = "ReplicaSet", ["name"] = rs, ["uid"] = uid, ["controller"] = true,
                        }),
                    },
                    ["spec"] = new JsonObject
                    {
                        ["nodeName"] = "node-a",
                        ["terminationGracePeriodSeconds"] = 0,
                        ["containers"] = new JsonArray(new JsonObject { ["name"] = "main", ["image"] = "registry.example/app:1" }),
                    },
                });
            }

            // Half the budgets say it one way, half the other; both need 8 of 10 healthy.
            var spec = new JsonObject { ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = name } } };
            if (app % 2 == 0)
            {
                spec["maxUnavailable"] = 2;
            }
            else
            {
                spec["minAvailable"] = "80%";
            }

            items.Add(new JsonObject
            {
                ["apiVersion"] = "policy/v1",
                ["kind"] = "PodDisruptionBudget",
                ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = Namespace },
                ["spec"] = spec,
            });
        }

        return new JsonObject { ["apiVersion"] = "v1", ["kind"] = "List", ["items"] = items };
    }
}
