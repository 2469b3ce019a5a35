using NodeDaemon.Core.Files;

namespace NodeDaemon.Core.Images;

/// <summary>The host's <c>/etc/containers/policy.json</c> as read at start, for <c>signaturePolicy: verified</c>: either
/// the parsed policy or why it cannot be used.</summary>
/// <remarks>rpm-ostree pulls <c>ostree-image-signed:docker://</c> through ostree-ext and containers/image, which check
/// signatures against this file. ostree-ext itself refuses such a pull only when the file's global <c>default</c> is
/// insecureAcceptAnything (container/store.rs, <c>container_policy_is_default_insecure</c>); a <c>transports.docker</c>
/// scope that accepts anything for the image still lets it through unverified, and that is the gap checked here. The
/// daemon reads the file once at start: a changed file is read on the next start (<c>systemctl restart nodedaemon</c>).</remarks>
/// <param name="Path">The file read.</param>
/// <param name="Policy">The policy; null when it could not be used.</param>
/// <param name="Problem">Why it could not be used; empty when <paramref name="Policy"/> is set.</param>
public sealed record HostSignaturePolicy(string Path, ContainersPolicy? Policy, string Problem)
{
    /// <summary>Where the system-wide policy is looked for, in order: ostree-ext (which rpm-ostree and bootc pull through)
    /// reads the first of these that exists (bootc crates/ostree-ext/src/container/skopeo.rs, <c>SYSTEM_POLICY_PATHS</c>).</summary>
    public static readonly IReadOnlyList<string> SystemPaths = ["/etc/containers/policy.json", "/usr/share/containers/policy.json"];

    /// <summary>Reads the first of <see cref="SystemPaths"/> that exists, as <see cref="Load"/> does.</summary>
    public static HostSignaturePolicy LoadSystem() => Load(SystemPaths.FirstOrDefault(p => File.Exists(p) || Directory.Exists(p)) ?? SystemPaths[0]);

    /// <summary>A policy file of many scopes is a few kilobytes.</summary>
    public const int MaxBytes = 1024 * 1024;

    /// <summary>Reads and parses <paramref name="path"/>; a missing, non-regular, oversized or malformed file is a <see cref="Problem"/>, never an exception.</summary>
    public static HostSignaturePolicy Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            return new HostSignaturePolicy(path, ContainersPolicy.Parse(RegularFile.ReadText(path, MaxBytes)), "");
        }
        catch (FileNotFoundException)
        {
            return new HostSignaturePolicy(path, null, "no such file (containers/image then refuses every verified pull)");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return new HostSignaturePolicy(path, null, e.Message);
        }
    }

    /// <summary>Why <paramref name="image"/> must not be staged as "verified" on this host; null when the host checks its signature (or refuses it).</summary>
    public string? RefusalFor(ImageReference image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (Policy is null)
        {
            return $"signaturePolicy is \"verified\" but {Path} cannot be used: {Problem}";
        }

        var requirement = Policy.Evaluate(image);
        return requirement.Kind == PolicyRequirementKind.AcceptsAnything
            ? $"signaturePolicy is \"verified\" but {Path} accepts {image.Name} with no signature check ({requirement.Scope} is insecureAcceptAnything); "
                + "require signedBy or sigstoreSigned for it there, then restart nodedaemon"
            : null;
    }

    /// <summary>For <c>validate-config</c> and the start: the file cannot be used, or it accepts unverified every image
    /// of a scope it does not name (its fallback is insecureAcceptAnything); null when neither.</summary>
    public string? FallbackWarning()
    {
        if (Policy is null)
        {
            return $"signaturePolicy is \"verified\" but {Path} cannot be used: {Problem}; every desired image is refused until it can";
        }

        var fallback = Policy.Fallback;
        return fallback.Kind == PolicyRequirementKind.AcceptsAnything
            ? $"signaturePolicy is \"verified\" but {Path} accepts images of every scope it does not name with no signature check "
                + $"({fallback.Scope} is insecureAcceptAnything); such desired images are refused, not staged unverified"
            : null;
    }
}
