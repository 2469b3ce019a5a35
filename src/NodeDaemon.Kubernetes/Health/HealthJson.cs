using System.Globalization;
using System.Text.Json;
using NodeDaemon.Core.Health;
using NodeDaemon.Core.Text;

namespace NodeDaemon.Kubernetes.Health;

/// <summary>Reads the health gate's evidence out of a Node and a pod list (JSON); members absent or of another type read as absent.</summary>
public static class HealthJson
{
    /// <summary>The Node's <c>Ready</c> condition (<c>status.conditions[type=Ready]</c>), or null when it has none.</summary>
    public static NodeReadyCondition? ReadyCondition(JsonElement node)
    {
        var ready = Condition(Member(node, "status"), "Ready");
        return ready.ValueKind != JsonValueKind.Object
            ? null
            : new NodeReadyCondition(
                Text(Member(ready, "status")),
                Time(Member(ready, "lastHeartbeatTime")),
                Time(Member(ready, "lastTransitionTime")),
                Text(Member(ready, "reason")),
                Text(Member(ready, "message")));
    }

    /// <summary>The pods of a <c>PodList</c>, leaving out those being deleted (their replacement is what counts).</summary>
    public static IReadOnlyList<PodEvidence> Pods(JsonElement list)
    {
        var items = Member(list, "items");
        if (items.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        var pods = new List<PodEvidence>();
        foreach (var pod in items.EnumerateArray())
        {
            var metadata = Member(pod, "metadata");
            if (Member(metadata, "deletionTimestamp").ValueKind == JsonValueKind.String)
            {
                continue;
            }

            pods.Add(Pod(Text(Member(metadata, "namespace")), Text(Member(metadata, "name")), Member(pod, "status")));
        }

        return pods;
    }

    private static PodEvidence Pod(string ns, string name, JsonElement status)
    {
        var ready = Condition(status, "Ready");
        DateTimeOffset? runningSince = null;
        var restarts = 0;
        string? waiting = null;
        foreach (var (statuses, init) in new[] { (Member(status, "initContainerStatuses"), true), (Member(status, "containerStatuses"), false) })
        {
            if (statuses.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            foreach (var container in statuses.EnumerateArray())
            {
                var restartCount = Member(container, "restartCount");
                restarts += restartCount.ValueKind == JsonValueKind.Number && restartCount.TryGetInt32(out var count) && count > 0 ? count : 0;
                var state = Member(container, "state");
                if (Text(Member(Member(state, "waiting"), "reason")) is { Length: > 0 } reason)
                {
                    // kubectl shows a waiting init container the same way: Init:CrashLoopBackOff.
                    waiting ??= init ? "Init:" + reason : reason;
                }

                if (!init && Time(Member(Member(state, "running"), "startedAt")) is { } started && (runningSince is null || started < runningSince))
                {
                    runningSince = started;
                }
            }
        }

        return new PodEvidence(ns, name, Text(Member(ready, "status")) == "True", Time(Member(ready, "lastTransitionTime")), runningSince, restarts, waiting);
    }

    private static JsonElement Condition(JsonElement status, string type)
    {
        var conditions = Member(status, "conditions");
        if (conditions.ValueKind == JsonValueKind.Array)
        {
            foreach (var condition in conditions.EnumerateArray())
            {
                if (Text(Member(condition, "type")) == type)
                {
                    return condition;
                }
            }
        }

        return default;
    }

    private static JsonElement Member(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value : default;

    private static string Text(JsonElement element) => JsonText.StringOf(element) ?? "";

    // RFC 3339 as the API server writes metav1.Time: "2026-03-01T12:00:05Z".
    private static DateTimeOffset? Time(JsonElement element) =>
        DateTimeOffset.TryParse(Text(element), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;
}
