namespace NodeDaemon.Core.Images;

/// <summary>A content digest in the form <c>sha256:&lt;64 lowercase hex&gt;</c>, as image manifests are addressed.</summary>
/// <remarks>
/// Only sha256 is accepted: it is what registries and rpm-ostree's <c>container-image-reference-digest</c>
/// use, and accepting one spelling keeps digest comparison an ordinal string comparison.
/// <c>default(Digest)</c> is not a valid digest; obtain one from <see cref="Parse"/> or <see cref="TryParse"/>.
/// </remarks>
public readonly record struct Digest
{
    /// <summary>The only supported algorithm.</summary>
    public const string Sha256 = "sha256";

    /// <summary>Number of hex characters in a sha256 digest.</summary>
    public const int Sha256HexLength = 64;

    private const string Subject = "digest";

    private readonly string? _hex;

    private Digest(string hex) => _hex = hex;

    /// <summary>The hash algorithm, always <c>sha256</c> for now (empty only for <c>default(Digest)</c>).</summary>
    public string Algorithm => _hex is null ? string.Empty : Sha256;

    /// <summary>The 64 lowercase hex characters of the hash.</summary>
    public string Hex => _hex ?? string.Empty;

    /// <summary>Parses <c>sha256:&lt;64 lowercase hex&gt;</c>.</summary>
    /// <param name="text">The untrusted input.</param>
    /// <param name="digest">The digest when the input is valid; otherwise <c>default</c>.</param>
    /// <param name="error">Why the input is invalid (safe to log); empty on success.</param>
    /// <returns><see langword="true"/> when the input is a valid digest.</returns>
    public static bool TryParse(string? text, out Digest digest, out string error)
    {
        digest = default;
        if (!InputText.TryScreen(text, Subject, out error))
        {
            return false;
        }

        if (!TryParseCore(text!, 0, out digest, out var problem))
        {
            error = InputText.Invalid(Subject, text!, problem);
            return false;
        }

        return true;
    }

    /// <summary>Parses <c>sha256:&lt;64 lowercase hex&gt;</c>, throwing on invalid input.</summary>
    /// <param name="text">The untrusted input.</param>
    /// <returns>The digest.</returns>
    /// <exception cref="ImageReferenceException">The input is not a valid digest; the message says why.</exception>
    public static Digest Parse(string text) =>
        TryParse(text, out var digest, out var error) ? digest : throw new ImageReferenceException(error);

    /// <summary>Returns <c>sha256:&lt;hex&gt;</c>.</summary>
    /// <returns>The canonical text, which <see cref="Parse"/> accepts.</returns>
    public override string ToString() => $"{Algorithm}:{Hex}";

    /// <summary>Parses already-screened text; positions in <paramref name="problem"/> are shifted by <paramref name="offset"/>.</summary>
    internal static bool TryParseCore(string text, int offset, out Digest digest, out string problem)
    {
        digest = default;
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            problem = "digest has no algorithm; expected sha256:<64 lowercase hex>";
            return false;
        }

        var algorithm = text[..colon];
        if (algorithm != Sha256)
        {
            problem = algorithm.Length == 0
                ? "digest algorithm is empty; expected sha256:<64 lowercase hex>"
                : $"unsupported digest algorithm \"{InputText.Excerpt(algorithm)}\"; only sha256 is supported";
            return false;
        }

        var hex = text[(colon + 1)..];
        for (var i = 0; i < hex.Length; i++)
        {
            var c = hex[i];
            var at = offset + colon + 1 + i;
            if (c is >= 'A' and <= 'F')
            {
                problem = InputText.Format($"digest hex must be lowercase: {InputText.Describe(c)} at index {at}");
                return false;
            }

            if (c is not (>= '0' and <= '9') and not (>= 'a' and <= 'f'))
            {
                problem = InputText.Format($"digest hex has a non-hex character {InputText.Describe(c)} at index {at}");
                return false;
            }
        }

        if (hex.Length != Sha256HexLength)
        {
            problem = InputText.Format($"digest hex is {hex.Length} characters long; {Sha256HexLength} expected");
            return false;
        }

        digest = new Digest(hex);
        problem = string.Empty;
        return true;
    }
}
