namespace NodeDaemon.Core.Images;

/// <summary>A container image pullspec, <c>registry[:port]/path[:tag][@sha256:&lt;64 hex&gt;]</c>, with an explicit registry.</summary>
/// <remarks>
/// <para>
/// The grammar is that of distribution/reference (docker's <c>reference</c> package) with three
/// deliberate restrictions: the registry host is mandatory (a node must never fall back to docker.io),
/// digests are sha256 only, and a port has no leading zeros. A first path segment is a registry host
/// when it contains <c>.</c> or <c>:</c>, is <c>localhost</c>, or is a bracketed IPv6 address.
/// </para>
/// <para>
/// Hosts: DNS names and IPv4 addresses (<c>quay.io</c>, <c>10.0.0.1</c>), <c>localhost</c>, and bracketed
/// IPv6 addresses without a zone (<c>[::1]</c>, <c>[fd00::5]:5000</c>), each with an optional port 1..65535.
/// <see cref="Registry"/> keeps the host as written, brackets included.
/// </para>
/// <para>
/// Nothing is normalised, so <see cref="ToString"/> returns exactly the text that was parsed and equality
/// is textual. Compare <see cref="Digest"/>s, not references, to decide whether two images are the same.
/// </para>
/// </remarks>
public sealed record ImageReference
{
    /// <summary>Longest <see cref="Name"/> allowed, as in distribution/reference.</summary>
    public const int MaxNameLength = 255;

    /// <summary>Longest tag allowed.</summary>
    public const int MaxTagLength = 128;

    internal const string Subject = "image reference";

    internal ImageReference(string registry, int? port, string repository, string? tag, Digest? digest)
    {
        Registry = registry;
        Port = port;
        Repository = repository;
        Tag = tag;
        Digest = digest;
    }

    /// <summary>The registry host as written: a DNS name, an IPv4 address, <c>localhost</c> or <c>[ipv6]</c>.</summary>
    public string Registry { get; }

    /// <summary>The registry port, when one is given.</summary>
    public int? Port { get; }

    /// <summary>The repository path below the registry, e.g. <c>fedora/fedora-coreos</c>.</summary>
    public string Repository { get; }

    /// <summary>The tag, when one is given; the digest wins when both are present.</summary>
    public string? Tag { get; }

    /// <summary>The manifest digest, when the reference is pinned by one.</summary>
    public Digest? Digest { get; }

    /// <summary>Whether the reference is pinned by a digest.</summary>
    public bool HasDigest => Digest is not null;

    /// <summary>The registry, port and repository without tag or digest: <c>registry[:port]/repository</c>.</summary>
    public string Name => Port is { } port ? $"{Registry}:{port}/{Repository}" : $"{Registry}/{Repository}";

    /// <summary>Parses a pullspec.</summary>
    /// <param name="text">The untrusted input, e.g. <c>quay.io/fedora/fedora-coreos:stable</c>.</param>
    /// <param name="reference">The reference when the input is valid; otherwise <see langword="null"/>.</param>
    /// <param name="error">Why the input is invalid (safe to log, bounded in length); empty on success.</param>
    /// <returns><see langword="true"/> when the input is a valid pullspec.</returns>
    public static bool TryParse(string? text, out ImageReference? reference, out string error)
    {
        reference = null;
        if (!InputText.TryScreen(text, Subject, out error))
        {
            return false;
        }

        if (!ImageReferenceParser.TryParse(text!, 0, out reference, out var problem))
        {
            error = InputText.Invalid(Subject, text!, problem);
            return false;
        }

        return true;
    }

    /// <summary>Parses a pullspec, throwing on invalid input.</summary>
    /// <param name="text">The untrusted input, e.g. <c>quay.io/fedora/fedora-coreos:stable</c>.</param>
    /// <returns>The reference.</returns>
    /// <exception cref="ImageReferenceException">The input is not a valid pullspec; the message says why.</exception>
    public static ImageReference Parse(string text) =>
        TryParse(text, out var reference, out var error) ? reference! : throw new ImageReferenceException(error);

    /// <summary>Returns this reference pinned to <paramref name="digest"/>, keeping the tag.</summary>
    /// <param name="digest">The manifest digest, e.g. the one rpm-ostree resolved for the tag.</param>
    /// <returns>A reference with the same name and tag, and the given digest.</returns>
    public ImageReference WithDigest(Digest digest) =>
        digest.Hex.Length == 0
            ? throw new ArgumentException("default(Digest) is not a digest", nameof(digest))
            : new ImageReference(Registry, Port, Repository, Tag, digest);

    /// <summary>Returns the canonical pullspec, which <see cref="Parse"/> turns back into an equal reference.</summary>
    /// <returns><c>registry[:port]/repository[:tag][@digest]</c>.</returns>
    public override string ToString()
    {
        var text = Name;
        if (Tag is not null)
        {
            text += ":" + Tag;
        }

        return Digest is { } digest ? $"{text}@{digest}" : text;
    }
}
