using NodeDaemon.Core.Images;

namespace NodeDaemon.Core.Host;

/// <summary>One ostree deployment as the host reports it: what decisions compare, and what status shows.</summary>
/// <param name="ContainerImageReference">The refspec verbatim (<c>ostree-unverified-registry:...</c>); null for ostree-remote deployments.</param>
/// <param name="ImageDigest">The image manifest digest; null when not a container deployment or the lookup failed.</param>
/// <param name="Checksum">The ostree commit, which is not the image digest.</param>
public sealed record HostDeployment(string? ContainerImageReference, Digest? ImageDigest, string Checksum)
{
    /// <summary>The base ostree commit under client-side layering (rpm-ostree's <c>base-checksum</c>); null when not layered.</summary>
    public string? BaseChecksum { get; init; }

    /// <summary>rpm-ostree's id, <c>&lt;osname&gt;-&lt;checksum&gt;.&lt;serial&gt;</c>.</summary>
    public string Id { get; init; } = "";

    /// <summary>The OS name the deployment belongs to.</summary>
    public string OsName { get; init; } = "";

    /// <summary>The image's version label, when it has one.</summary>
    public string? Version { get; init; }

    /// <summary>When the commit was made.</summary>
    public DateTimeOffset? Timestamp { get; init; }

    /// <summary>This deployment is running now.</summary>
    public bool Booted { get; init; }

    /// <summary>This deployment is staged for the next boot.</summary>
    public bool Staged { get; init; }

    /// <summary>Pinned: never garbage-collected.</summary>
    public bool Pinned { get; init; }

    /// <summary>The ostree remote ref, for deployments that are not container images.</summary>
    public string? Origin { get; init; }

    /// <summary>The pullspec inside the refspec, when it names a registry image.</summary>
    public ImageReference? Image =>
        OstreeRefspec.TryParse(ContainerImageReference, out var refspec, out _) ? refspec!.Image : null;
}
