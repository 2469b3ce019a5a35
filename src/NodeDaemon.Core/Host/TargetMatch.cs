using NodeDaemon.Core.Images;

namespace NodeDaemon.Core.Host;

/// <summary>How a deployment is the image asked for; <see cref="None"/> when it is not.</summary>
public enum TargetMatchKind
{
    /// <summary>Not the image asked for (or no digest was recorded for it).</summary>
    None,

    /// <summary>The digest rpm-ostree recorded is the pinned digest.</summary>
    Digest,

    /// <summary>The deployment's reference is exactly the pinned one asked for, and another digest was recorded: the pin
    /// names a multi-arch index, and the host recorded the platform manifest it imported.</summary>
    PinnedReference,

    /// <summary>A tag (allowTags): the same name and tag, whatever digest it resolved to.</summary>
    Tag,
}

/// <summary>The one rule for "this deployment satisfies the desired image", for decisions and for both host backends.</summary>
/// <remarks>Digests are compared, never pullspec strings, with one exception upstream forces: for a multi-arch image,
/// ostree-ext (container/store.rs, <c>manifest_digest</c>) and so rpm-ostree's <c>container-image-reference-digest</c> and
/// bootc's <c>imageDigest</c> record the per-platform manifest that skopeo's image proxy chose from the index, never the
/// index's digest. A by-digest pull is verified by containers/image, so a deployment whose reference pins the very
/// digest asked for holds that image's content; the digest it recorded is then the one to finalize and verify by.</remarks>
public static class TargetMatch
{
    /// <summary>How <paramref name="deployment"/> is <paramref name="wanted"/>.</summary>
    public static TargetMatchKind Of(ImageReference wanted, HostDeployment? deployment)
    {
        ArgumentNullException.ThrowIfNull(wanted);
        if (deployment?.ImageDigest is not { } recorded)
        {
            // Nothing to finalize or verify by.
            return TargetMatchKind.None;
        }

        var image = deployment.Image;
        if (wanted.Digest is { } digest)
        {
            if (recorded == digest)
            {
                return TargetMatchKind.Digest;
            }

            return image is not null && image.Digest == digest && image.Name == wanted.Name && image.Tag == wanted.Tag
                ? TargetMatchKind.PinnedReference
                : TargetMatchKind.None;
        }

        return image is not null && image.Name == wanted.Name && image.Tag == wanted.Tag && image.Digest is null
            ? TargetMatchKind.Tag
            : TargetMatchKind.None;
    }

    /// <summary>Whether <paramref name="deployment"/> is <paramref name="wanted"/>.</summary>
    public static bool IsSatisfiedBy(ImageReference wanted, HostDeployment? deployment) => Of(wanted, deployment) != TargetMatchKind.None;
}
