using NodeDaemon.Core.Images;

namespace NodeDaemon.Core.Agent;

/// <summary>One ostree deployment as rpm-ostreed reports it, reduced to what decisions compare.</summary>
/// <param name="ContainerImageReference">The refspec verbatim (<c>ostree-unverified-registry:...</c>); null for ostree-remote deployments.</param>
/// <param name="ImageDigest">The image manifest digest; null when not a container deployment or the lookup failed.</param>
/// <param name="Checksum">The ostree commit, which is not the image digest.</param>
public sealed record HostDeployment(string? ContainerImageReference, Digest? ImageDigest, string Checksum)
{
    /// <summary>The pullspec inside the refspec, when it names a registry image.</summary>
    public ImageReference? Image =>
        OstreeRefspec.TryParse(ContainerImageReference, out var refspec, out _) ? refspec!.Image : null;
}
