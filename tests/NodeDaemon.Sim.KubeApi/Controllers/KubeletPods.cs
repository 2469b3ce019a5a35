using System.Globalization;
using System.Text.Json.Nodes;
using NodeDaemon.Sim.KubeApi.Store;

namespace NodeDaemon.Sim.KubeApi.Controllers;

/// <summary>How the kubelet reports a pod's containers after a boot: restarted, Ready, or crash-looping.</summary>
/// <remarks>Reasons and messages as the kubelet writes them: a pod with an unready container has <c>Ready=False</c>
/// reason <c>ContainersNotReady</c> and message <c>containers with unready status: [names]</c>
/// (<c>pkg/kubelet/status/generate.go</c>); a container waiting out its restart back-off has waiting reason
/// <c>CrashLoopBackOff</c> and message <c>back-off 5m0s restarting failed container=C pod=P_NS(UID)</c>
/// (<c>pkg/kubelet/kuberuntime/kuberuntime_manager.go</c>, <c>doBackOff</c>).</remarks>
public static class KubeletPods
{
    /// <summary>A container waiting to restart after a crash, with the back-off still running.</summary>
    public const string CrashLoopBackOff = "CrashLoopBackOff";

    /// <summary>Whether the pod is owned by a DaemonSet: the pods a reboot brings back on the same node.</summary>
    public static bool IsDaemonSetPod(JsonObject pod) => (string?)ObjectMeta.ControllerRef(pod)?["kind"] == "DaemonSet";

    /// <summary>After the boot, before the containers run: new sandbox, every container restarted and waiting.</summary>
    public static void Restarted(JsonObject pod, string now)
    {
        PodStatus.Set(pod, "Running", ready: false, now);
        NotReadyBecause(pod);
        foreach (var status in ContainerStatuses(pod))
        {
            status["restartCount"] = RestartCount(status) + 1;
            status["ready"] = false;
            status["started"] = false;
            status["state"] = new JsonObject { ["waiting"] = new JsonObject { ["reason"] = "ContainerCreating" } };
        }
    }

    /// <summary>Every container running and Ready.</summary>
    public static void Ready(JsonObject pod, string now)
    {
        PodStatus.Set(pod, "Running", ready: true, now);
        foreach (var status in ContainerStatuses(pod))
        {
            status["ready"] = true;
            status["started"] = true;
            status["state"] = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = now } };
        }
    }

    /// <summary>Every container crashed once more and waits out <paramref name="backOff"/> before its next start.</summary>
    public static void Crashed(JsonObject pod, string now, TimeSpan backOff)
    {
        PodStatus.Set(pod, "Running", ready: false, now);
        NotReadyBecause(pod);
        var podRef = string.Create(CultureInfo.InvariantCulture, $"{ObjectMeta.Name(pod)}_{ObjectMeta.Namespace(pod)}({ObjectMeta.Uid(pod)})");
        foreach (var status in ContainerStatuses(pod))
        {
            status["restartCount"] = RestartCount(status) + 1;
            status["ready"] = false;
            status["started"] = false;
            status["lastState"] = new JsonObject
            {
                ["terminated"] = new JsonObject { ["exitCode"] = 1, ["reason"] = "Error", ["startedAt"] = now, ["finishedAt"] = now },
            };
            status["state"] = new JsonObject
            {
                ["waiting"] = new JsonObject
                {
                    ["reason"] = CrashLoopBackOff,
                    ["message"] = $"back-off {GoDuration(backOff)} restarting failed container={(string?)status["name"]} pod={podRef}",
                },
            };
        }
    }

    /// <summary>A duration as Go's <c>time.Duration.String()</c> writes whole seconds: <c>10s</c>, <c>1m20s</c>, <c>5m0s</c>.</summary>
    public static string GoDuration(TimeSpan duration)
    {
        var seconds = (long)duration.TotalSeconds;
        return seconds < 60
            ? string.Create(CultureInfo.InvariantCulture, $"{seconds}s")
            : string.Create(CultureInfo.InvariantCulture, $"{seconds / 60}m{seconds % 60}s");
    }

    private static void NotReadyBecause(JsonObject pod)
    {
        var names = string.Join(" ", ContainerNames(pod));
        foreach (var condition in (pod["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if ((string?)condition["type"] is "Ready" or "ContainersReady")
            {
                condition["reason"] = "ContainersNotReady";
                condition["message"] = $"containers with unready status: [{names}]";
            }
        }
    }

    private static int RestartCount(JsonObject status) => status["restartCount"] is JsonValue v && v.TryGetValue<int>(out var n) ? n : 0;

    private static List<string> ContainerNames(JsonObject pod)
    {
        var names = (pod["spec"]?["containers"] as JsonArray ?? []).Select(c => (string?)c?["name"]).OfType<string>().ToList();
        // A seed pod written without containers still has one: the simplest pod a DaemonSet runs.
        return names.Count > 0 ? names : ["main"];
    }

    /// <summary>The pod's container statuses, one per container, created when missing (kept in the status object).</summary>
    private static List<JsonObject> ContainerStatuses(JsonObject pod)
    {
        var status = (JsonObject)pod["status"]!;
        var existing = (status["containerStatuses"] as JsonArray ?? []).OfType<JsonObject>()
            .ToDictionary(s => (string?)s["name"] ?? "", s => s, StringComparer.Ordinal);
        var list = new JsonArray();
        foreach (var name in ContainerNames(pod))
        {
            var entry = existing.TryGetValue(name, out var old) ? (JsonObject)old.DeepClone() : new JsonObject { ["name"] = name, ["restartCount"] = 0 };
            entry["image"] ??= (string?)(pod["spec"]?["containers"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => (string?)c["name"] == name)?["image"];
            list.Add(entry);
        }

        status["containerStatuses"] = list;
        return list.OfType<JsonObject>().ToList();
    }
}
