using System.Text.Json.Nodes;
using NodeDaemon.Core.Agent;
using NodeDaemon.Core.Cluster;

namespace NodeDaemon.Kubernetes.Annotations;

/// <summary>The merge patches the daemon writes to its node: only its own keys (and its Degraded label), and cordon state with its mark in one write.</summary>
internal static class NodePatches
{
    /// <summary>The output annotations of <paramref name="report"/>; a null current image is left as it is.</summary>
    public static JsonObject Report(NodeReport report, AnnotationKeys keys) =>
        new() { ["metadata"] = WithReport(new JsonObject(), report, new JsonObject(), keys) };

    /// <summary>
    /// The status patch of <paramref name="conditions"/> (stamped with their transition times), heartbeat
    /// <paramref name="now"/>: sent as a strategic merge patch, it merges into the node's conditions by <c>type</c>.
    /// </summary>
    /// <remarks>
    /// With <paramref name="report"/>, its output annotations and Degraded label ride in the same patch of
    /// <c>nodes/status</c>: kube-apiserver's nodeStatusStrategy resets only <c>spec</c> on that subresource, so metadata
    /// changes are kept (pkg/registry/core/node/strategy.go); a strategic merge patch merges and deletes map keys as a
    /// JSON merge patch does.
    /// </remarks>
    public static JsonObject Conditions(IReadOnlyList<NodeConditionValue> conditions, DateTimeOffset now, NodeReport? report = null, AnnotationKeys? keys = null)
    {
        var patch = StatusOnly(conditions, now);
        if (report is not null)
        {
            ArgumentNullException.ThrowIfNull(keys);
            patch["metadata"] = WithReport(new JsonObject(), report, new JsonObject(), keys);
        }

        return patch;
    }

    private static JsonObject StatusOnly(IReadOnlyList<NodeConditionValue> conditions, DateTimeOffset now) => new()
    {
        ["status"] = new JsonObject
        {
            ["conditions"] = new JsonArray([.. conditions.Select(c => (JsonNode)new JsonObject
            {
                ["type"] = c.Type,
                ["status"] = c.Status,
                ["lastHeartbeatTime"] = Time(now),
                ["lastTransitionTime"] = Time(c.LastTransitionTime ?? now),
                ["reason"] = c.Reason,
                ["message"] = ReasonText.Truncate(c.Message),
            })]),
        },
    };

    // RFC 3339 in whole seconds, UTC, as metav1.Time is written.
    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// <c>spec.unschedulable: true</c> and the mark together, conditional on <paramref name="resourceVersion"/>: one
    /// write, so a crash cannot leave our cordon unmarked (it would look like an admin's and never be lifted), and a
    /// concurrent change fails with 409 instead of being overwritten. A <paramref name="report"/> rides along, so the
    /// status that goes with the cordon costs no write of its own.
    /// </summary>
    public static JsonObject Cordon(string resourceVersion, AnnotationKeys keys, string component, NodeReport? report = null) => new()
    {
        ["metadata"] = WithReport(new JsonObject { ["resourceVersion"] = resourceVersion }, report, new JsonObject { [keys.CordonedBy] = component }, keys),
        ["spec"] = new JsonObject { ["unschedulable"] = true },
    };

    /// <summary>Removes the cordon and the mark together, conditional on <paramref name="resourceVersion"/>, with <paramref name="report"/> if given.</summary>
    public static JsonObject Uncordon(string resourceVersion, AnnotationKeys keys, NodeReport? report = null) => new()
    {
        ["metadata"] = WithReport(new JsonObject { ["resourceVersion"] = resourceVersion }, report, new JsonObject { [keys.CordonedBy] = null }, keys),
        ["spec"] = new JsonObject { ["unschedulable"] = null },
    };

    /// <summary>
    /// <paramref name="metadata"/> with <paramref name="annotations"/> plus the output annotations of
    /// <paramref name="report"/> (if any), and the Degraded label set or removed to match it.
    /// </summary>
    private static JsonObject WithReport(JsonObject metadata, NodeReport? report, JsonObject annotations, AnnotationKeys keys)
    {
        metadata["annotations"] = annotations;
        if (report is null)
        {
            return metadata;
        }

        // Removing a label that is not there is a no-op in a merge patch.
        metadata["labels"] = new JsonObject
        {
            [keys.DegradedLabel] = report.State == AgentCondition.Degraded ? "true" : null,
            [keys.WaitingLabel] = report.Phase == AgentState.WaitingForSlot && report.State != AgentCondition.Degraded ? "true" : null,
        };

        annotations[keys.State] = report.State.ToString();
        annotations[keys.Phase] = report.Phase.ToString();
        annotations[keys.Reason] = ReasonText.Truncate(report.Reason);
        annotations[keys.Message] = report.Message;
        if (report.CurrentImage is { } image)
        {
            annotations[keys.CurrentImage] = image;
        }

        if (report.RejectedImage is { } rejected)
        {
            // Empty removes the mark (null in a merge patch deletes the key).
            annotations[keys.RejectedImage] = rejected.Length == 0 ? null : rejected;
        }

        return metadata;
    }
}
