using System.Text.Json.Nodes;
using NodeDaemon.Core.Cluster;

namespace NodeDaemon.Kubernetes.Annotations;

/// <summary>The merge patches the daemon writes to its node: only its own keys, and cordon state with its mark in one write.</summary>
internal static class NodePatches
{
    /// <summary>The output annotations of <paramref name="report"/>; a null current image is left as it is.</summary>
    public static JsonObject Report(NodeReport report, AnnotationKeys keys) =>
        new() { ["metadata"] = new JsonObject { ["annotations"] = Annotations(report, new JsonObject(), keys) } };

    /// <summary>
    /// <c>spec.unschedulable: true</c> and the mark together, conditional on <paramref name="resourceVersion"/>: one
    /// write, so a crash cannot leave our cordon unmarked (it would look like an admin's and never be lifted), and a
    /// concurrent change fails with 409 instead of being overwritten. A <paramref name="report"/> rides along, so the
    /// status that goes with the cordon costs no write of its own.
    /// </summary>
    public static JsonObject Cordon(string resourceVersion, AnnotationKeys keys, string component, NodeReport? report = null) => new()
    {
        ["metadata"] = new JsonObject
        {
            ["resourceVersion"] = resourceVersion,
            ["annotations"] = Annotations(report, new JsonObject { [keys.CordonedBy] = component }, keys),
        },
        ["spec"] = new JsonObject { ["unschedulable"] = true },
    };

    /// <summary>Removes the cordon and the mark together, conditional on <paramref name="resourceVersion"/>, with <paramref name="report"/> if given.</summary>
    public static JsonObject Uncordon(string resourceVersion, AnnotationKeys keys, NodeReport? report = null) => new()
    {
        ["metadata"] = new JsonObject
        {
            ["resourceVersion"] = resourceVersion,
            ["annotations"] = Annotations(report, new JsonObject { [keys.CordonedBy] = null }, keys),
        },
        ["spec"] = new JsonObject { ["unschedulable"] = null },
    };

    /// <summary>Adds the output annotations of <paramref name="report"/> (if any) to <paramref name="annotations"/>.</summary>
    private static JsonObject Annotations(NodeReport? report, JsonObject annotations, AnnotationKeys keys)
    {
        if (report is null)
        {
            return annotations;
        }

        annotations[keys.State] = report.State.ToString();
        annotations[keys.Phase] = report.Phase.ToString();
        annotations[keys.Reason] = ReasonText.Truncate(report.Reason);
        annotations[keys.Message] = report.Message;
        if (report.CurrentImage is { } image)
        {
            annotations[keys.CurrentImage] = image;
        }

        return annotations;
    }
}
