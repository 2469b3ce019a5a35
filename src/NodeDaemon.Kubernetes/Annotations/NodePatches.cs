using System.Text.Json.Nodes;
using NodeDaemon.Core.Cluster;

namespace NodeDaemon.Kubernetes.Annotations;

/// <summary>The merge patches the daemon writes to its node: only its own keys, and cordon state with its mark in one write.</summary>
internal static class NodePatches
{
    /// <summary>The output annotations of <paramref name="report"/>; a null current image is left as it is.</summary>
    public static JsonObject Report(NodeReport report, AnnotationKeys keys)
    {
        var annotations = new JsonObject
        {
            [keys.State] = report.State.ToString(),
            [keys.Phase] = report.Phase.ToString(),
            [keys.Reason] = ReasonText.Truncate(report.Reason),
            [keys.Message] = report.Message,
        };
        if (report.CurrentImage is { } image)
        {
            annotations[keys.CurrentImage] = image;
        }

        return new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = annotations } };
    }

    /// <summary>
    /// <c>spec.unschedulable: true</c> and the mark together, conditional on <paramref name="resourceVersion"/>: one
    /// write, so a crash cannot leave our cordon unmarked (it would look like an admin's and never be lifted), and a
    /// concurrent change fails with 409 instead of being overwritten.
    /// </summary>
    public static JsonObject Cordon(string resourceVersion, AnnotationKeys keys, string component) => new()
    {
        ["metadata"] = new JsonObject
        {
            ["resourceVersion"] = resourceVersion,
            ["annotations"] = new JsonObject { [keys.CordonedBy] = component },
        },
        ["spec"] = new JsonObject { ["unschedulable"] = true },
    };

    /// <summary>Removes the cordon and the mark together, conditional on <paramref name="resourceVersion"/>.</summary>
    public static JsonObject Uncordon(string resourceVersion, AnnotationKeys keys) => new()
    {
        ["metadata"] = new JsonObject
        {
            ["resourceVersion"] = resourceVersion,
            ["annotations"] = new JsonObject { [keys.CordonedBy] = null },
        },
        ["spec"] = new JsonObject { ["unschedulable"] = null },
    };
}
