namespace NodeDaemon.Core.Images;

/// <summary>An rpm-ostree container refspec such as <c>ostree-unverified-registry:quay.io/fedora/fedora-coreos:stable</c>.</summary>
/// <remarks>
/// <para>
/// Follows ostree-rs-ext's <c>OstreeImageReference</c> (the parser rpm-ostree uses): a scheme
/// (<see cref="OstreeRefspecKind"/>), for the remote schemes an ostree remote name, then a transport and
/// a name. Transports: <c>registry:</c> or <c>docker://</c> (a registry, <see cref="Transport"/> is
/// <c>registry</c> for both), <c>oci:</c>, <c>oci-archive:</c>, <c>docker-archive:</c>,
/// <c>containers-storage:</c> and <c>dir:</c>. The <c>ostree-unverified-registry:</c> and
/// <c>ostree-remote-registry:</c> shorthands imply the registry transport and are followed by the pullspec.
/// </para>
/// <para>
/// A registry name must be a valid <see cref="ImageReference"/> (registry host required). Names for the
/// local transports are paths or storage names; they pass the same hostile-input screen and may use
/// letters, digits and <c>. _ - / : @ + = ,</c> only (so a <c>containers-storage:[driver@root]</c> store
/// prefix is refused: the daemon never stages from local storage).
/// </para>
/// <para>
/// rpm-ostree reports the refspec verbatim in <c>container-image-reference</c>, so nothing is normalised:
/// <see cref="ToString"/> returns the parsed text and equality is textual (<c>registry:</c> and
/// <c>docker://</c> spellings differ). Compare digests to decide whether two images are the same.
/// </para>
/// </remarks>
public sealed record OstreeRefspec
{
    internal OstreeRefspec(
        OstreeRefspecKind kind, string? remote, string transport, string transportPrefix, string name, ImageReference? image)
    {
        Kind = kind;
        Remote = remote;
        Transport = transport;
        TransportPrefix = transportPrefix;
        Name = name;
        Image = image;
    }

    /// <summary>The scheme, which decides how the image is verified.</summary>
    public OstreeRefspecKind Kind { get; }

    /// <summary>The ostree remote whose keys verify the commit, for the remote schemes; otherwise <see langword="null"/>.</summary>
    public string? Remote { get; }

    /// <summary>The transport: <c>registry</c>, <c>oci</c>, <c>oci-archive</c>, <c>docker-archive</c>, <c>containers-storage</c> or <c>dir</c>.</summary>
    public string Transport { get; }

    /// <summary>The transport as written, e.g. <c>docker://</c>, <c>registry:</c> or <c>oci:</c>; empty for the registry shorthands.</summary>
    public string TransportPrefix { get; }

    /// <summary>What follows the transport: a pullspec for a registry, a path or storage name otherwise.</summary>
    public string Name { get; }

    /// <summary>The parsed pullspec when <see cref="Transport"/> is <c>registry</c>; otherwise <see langword="null"/>.</summary>
    public ImageReference? Image { get; }

    /// <summary>Parses a container refspec.</summary>
    /// <param name="text">The untrusted input, e.g. a deployment's <c>container-image-reference</c>.</param>
    /// <param name="refspec">The refspec when the input is valid; otherwise <see langword="null"/>.</param>
    /// <param name="error">Why the input is invalid (safe to log, bounded in length); empty on success.</param>
    /// <returns><see langword="true"/> when the input is a valid refspec.</returns>
    public static bool TryParse(string? text, out OstreeRefspec? refspec, out string error)
    {
        refspec = null;
        if (!InputText.TryScreen(text, OstreeRefspecParser.Subject, out error))
        {
            return false;
        }

        if (!OstreeRefspecParser.TryParse(text!, out refspec, out var problem))
        {
            error = InputText.Invalid(OstreeRefspecParser.Subject, text!, problem);
            return false;
        }

        return true;
    }

    /// <summary>Parses a container refspec, throwing on invalid input.</summary>
    /// <param name="text">The untrusted input, e.g. a deployment's <c>container-image-reference</c>.</param>
    /// <returns>The refspec.</returns>
    /// <exception cref="ImageReferenceException">The input is not a valid refspec; the message says why.</exception>
    public static OstreeRefspec Parse(string text) =>
        TryParse(text, out var refspec, out var error) ? refspec! : throw new ImageReferenceException(error);

    /// <summary>The refspec that stages <paramref name="image"/> from its registry.</summary>
    /// <param name="image">The image to stage.</param>
    /// <param name="verified">
    /// <see langword="true"/> for <c>ostree-image-signed:docker://</c> (checked against the host's containers policy),
    /// <see langword="false"/> for <c>ostree-unverified-registry:</c>.
    /// </param>
    /// <returns>The refspec to pass to rpm-ostree's <c>Rebase</c>.</returns>
    public static OstreeRefspec ForImage(ImageReference image, bool verified)
    {
        ArgumentNullException.ThrowIfNull(image);
        return verified
            ? new OstreeRefspec(OstreeRefspecKind.ImageSigned, null, OstreeRefspecParser.Registry, "docker://", image.ToString(), image)
            : new OstreeRefspec(OstreeRefspecKind.UnverifiedRegistry, null, OstreeRefspecParser.Registry, string.Empty, image.ToString(), image);
    }

    /// <summary>Returns the refspec as rpm-ostree takes and reports it.</summary>
    /// <returns><c>scheme:[remote:]transport name</c>, which <see cref="Parse"/> turns back into an equal refspec.</returns>
    public override string ToString()
    {
        var scheme = OstreeRefspecParser.SchemeOf(Kind);
        return Remote is null
            ? $"{scheme}:{TransportPrefix}{Name}"
            : $"{scheme}:{Remote}:{TransportPrefix}{Name}";
    }
}
