using System.Text.Json.Nodes;
using NodeDaemon.Sim.KubeApi.Controllers;

namespace NodeDaemon.Sim.KubeApi.Store;

/// <summary>The defaults the real API server and kubelet would have filled in for objects written by hand.</summary>
public static class SeedDefaults
{
    /// <summary>A pod gets <c>terminationGracePeriodSeconds: 30</c>; a scheduled pod without status is Running and Ready.</summary>
    public static void ApplyPod(JsonObject pod)
    {
        var spec = pod["spec"] as JsonObject ?? [];
        pod["spec"] = spec;
        spec["terminationGracePeriodSeconds"] ??= 30;
        if (pod["status"]?["phase"] is null)
        {
            var scheduled = spec["nodeName"] is not null;
            PodStatus.Set(pod, scheduled ? "Running" : "Pending", scheduled, "2025-01-01T00:00:00Z");
        }
        else if (pod["status"]?["conditions"] is null)
        {
            var phase = PodStatus.Phase(pod);
            PodStatus.Set(pod, phase, phase == "Running", "2025-01-01T00:00:00Z");
        }
    }

    /// <summary>A node without conditions is Ready.</summary>
    public static void ApplyNode(JsonObject node)
    {
        var status = node["status"] as JsonObject ?? [];
        node["status"] = status;
        status["conditions"] ??= new JsonArray(new JsonObject
        {
            ["type"] = "Ready",
            ["status"] = "True",
            ["reason"] = "KubeletReady",
            ["message"] = "kubelet is posting ready status",
            ["lastHeartbeatTime"] = "2025-01-01T00:00:00Z",
            ["lastTransitionTime"] = "2025-01-01T00:00:00Z",
        });
        node["spec"] ??= new JsonObject();
    }
}
