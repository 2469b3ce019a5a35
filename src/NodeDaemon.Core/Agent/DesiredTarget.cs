using NodeDaemon.Core.Host;
using NodeDaemon.Core.Images;
using NodeDaemon.Core.Options;

namespace NodeDaemon.Core.Agent;

/// <summary>The validated desired image and how deployments are matched against it.</summary>
/// <remarks>Digests are compared, never pullspec strings; a tag (only with allowTags) matches the deployment
/// rpm-ostree pulled for that same name and tag, and the digest it resolved is what counts. The rule lives in
/// <see cref="TargetMatch"/>, which the host backends use too.</remarks>
public sealed record DesiredTarget(ImageReference Image)
{
    /// <summary>The key of the <see cref="AgentRecord"/> for this target.</summary>
    public string Key => Image.ToString();

    /// <summary>Whether <paramref name="deployment"/> is this target (<see cref="TargetMatch"/>: by digest, by the exact
    /// reference pinned by a multi-arch index's digest, or by tag).</summary>
    public bool IsMatchedBy(HostDeployment? deployment) => TargetMatch.IsSatisfiedBy(Image, deployment);

    /// <summary>Parses the annotation; null with a reason when it is malformed, missing a digest, outside allowedImages,
    /// or to be verified by a host whose containers policy accepts it unverified.</summary>
    /// <remarks>The allow-list is checked here, before any action exists, so a refused image is never pulled and the
    /// node is never cordoned or drained for it; it is matched on the parsed reference (<see cref="ImageRepositoryPrefix"/>).</remarks>
    public static DesiredTarget? TryCreate(string annotation, NodeDaemonOptions options, out string error)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!ImageReference.TryParse(annotation, out var image, out error))
        {
            error = $"desired image is invalid: {error}";
            return null;
        }

        if (!ImageRepositoryPrefix.AnyAllows(options.AllowedImages, image!))
        {
            error = $"desired image repository {image!.Name} is not allowed by allowedImages "
                + $"({string.Join(", ", options.AllowedImages)}); add its prefix there to accept it";
            return null;
        }

        // Asked to verify on a host that would not: refused like an image outside allowedImages, before any pull.
        if (options.SignaturePolicy == SignaturePolicy.Verified && options.HostSignaturePolicy?.RefusalFor(image!) is { } unverified)
        {
            error = unverified;
            return null;
        }

        if (!image!.HasDigest && !options.AllowTags)
        {
            error = $"desired image {image} has no @sha256: digest; pin one, or set allowTags to accept tags";
            return null;
        }

        error = "";
        return new DesiredTarget(image);
    }
}
