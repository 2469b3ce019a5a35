using NodeDaemon.Core.Host;
using NodeDaemon.Core.Images;

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

    /// <summary>Parses the annotation; null with a reason when it is missing a digest or malformed.</summary>
    public static DesiredTarget? TryCreate(string annotation, bool allowTags, out string error)
    {
        if (!ImageReference.TryParse(annotation, out var image, out error))
        {
            error = $"desired image is invalid: {error}";
            return null;
        }

        if (!image!.HasDigest && !allowTags)
        {
            error = $"desired image {image} has no @sha256: digest; pin one, or set allowTags to accept tags";
            return null;
        }

        error = "";
        return new DesiredTarget(image);
    }
}
