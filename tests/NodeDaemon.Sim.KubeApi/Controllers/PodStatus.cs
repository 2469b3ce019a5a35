using System.Text.Json.Nodes;

namespace NodeDaemon.Sim.KubeApi.Controllers;

/// <summary>Reads and writes the pod status fields the controllers care about.</summary>
public static class PodStatus
{
    /// <summary><c>status.phase</c>, <c>Pending</c> when missing.</summary>
    public static string Phase(JsonObject pod) => (string?)pod["status"]?["phase"] ?? "Pending";

    /// <summary>Whether the <c>Ready</c> condition is <c>True</c>.</summary>
    public static bool IsReady(JsonObject pod) =>
        (pod["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>()
            .Any(c => (string?)c["type"] == "Ready" && (string?)c["status"] == "True") == true;

    /// <summary>Whether the pod is being deleted.</summary>
    public static bool IsTerminating(JsonObject pod) => pod["metadata"]?["deletionTimestamp"] is not null;

    /// <summary>Sets the phase and the Ready/ContainersReady conditions.</summary>
    public static void Set(JsonObject pod, string phase, bool ready, string timestamp)
    {
        var status = pod["status"] as JsonObject ?? [];
        pod["status"] = status;
        status["phase"] = phase;
        var conditions = new JsonArray();
        foreach (var type in new[] { "PodScheduled", "Initialized", "ContainersReady", "Ready" })
        {
            var value = type switch
            {
                "PodScheduled" => pod["spec"]?["nodeName"] is not null,
                "Initialized" => phase != "Pending" || pod["spec"]?["nodeName"] is not null,
                _ => ready,
            };
            conditions.Add(new JsonObject { ["type"] = type, ["status"] = value ? "True" : "False", ["lastTransitionTime"] = timestamp });
        }

        status["conditions"] = conditions;
        if (phase == "Running")
        {
            status["startTime"] ??= timestamp;
        }
    }
}
