using NodeDaemon.Core.Host;

namespace NodeDaemon.Core.Agent;

/// <summary>What the node's <c>current-image</c> output says about the booted deployment.</summary>
/// <remarks>Readers compare it with the desired image as strings: machine-config-operator's <c>isNodeImageDone</c>
/// (<c>pkg/controller/common/layered_node_state.go</c>) is <c>desired == current</c>, and our slot hand-over compares its
/// digest with the Lease's, which is the pin's. So a booted deployment that is the pin asked for (by its digest, or by
/// the exact reference pinned by a multi-arch index's digest while rpm-ostree recorded the platform manifest's) is reported
/// as the desired annotation itself; anything else as the name and the digest rpm-ostree recorded.</remarks>
public static class ReportedImage
{
    /// <summary>The <c>current-image</c> for <paramref name="booted"/>, or null when it has no recorded image digest.</summary>
    public static string? Of(string? desiredAnnotation, DesiredTarget? target, HostDeployment? booted)
    {
        if (booted is not { ImageDigest: { } digest })
        {
            return null;
        }

        var match = target is null ? TargetMatchKind.None : TargetMatch.Of(target.Image, booted);
        return match is TargetMatchKind.Digest or TargetMatchKind.PinnedReference && desiredAnnotation is not null
            ? desiredAnnotation
            : $"{booted.Image?.Name}@{digest}";
    }
}
