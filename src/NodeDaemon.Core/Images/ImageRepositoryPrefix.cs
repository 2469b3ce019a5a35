namespace NodeDaemon.Core.Images;

/// <summary>One entry of <c>allowedImages</c>: a registry host, optional port and optional repository path prefix.</summary>
/// <remarks>
/// <para>
/// It is matched against a PARSED <see cref="ImageReference"/>, never against the annotation's text, so the
/// reference grammar has already refused <c>..</c> components, userinfo (<c>user@host</c>) and anything else
/// a string prefix test could be fooled by. The rule, in one place (<see cref="Allows"/>):
/// the host is compared ignoring ASCII case (DNS names are case-insensitive; the parser keeps the host as written);
/// the port must be the same, both absent or both the same number (<c>quay.io</c> and <c>quay.io:443</c> are
/// different entries, as they are different strings to the registry's auth and mirror configuration);
/// the path matches whole components only: <c>quay.io/fedora</c> allows <c>quay.io/fedora</c> and
/// <c>quay.io/fedora/x</c> but not <c>quay.io/fedoraevil/x</c>. A host alone allows every repository on it.
/// </para>
/// <para>The parser has no docker.io default (a host is mandatory), so there is no normalisation to apply first.</para>
/// </remarks>
public sealed record ImageRepositoryPrefix
{
    private ImageRepositoryPrefix(string registry, int? port, string path, string text)
    {
        Registry = registry;
        Port = port;
        Path = path;
        _text = text;
    }

    private readonly string _text;

    /// <summary>The registry host as written.</summary>
    public string Registry { get; }

    /// <summary>The port, when one is given.</summary>
    public int? Port { get; }

    /// <summary>The repository path prefix without a trailing '/'; empty allows the whole registry.</summary>
    public string Path { get; }

    /// <summary>Parses <c>registry[:port][/path][/]</c>; <paramref name="error"/> says what is wrong.</summary>
    public static bool TryParse(string? text, out ImageRepositoryPrefix? prefix, out string error)
    {
        prefix = null;
        if (!InputText.TryScreen(text, "allowed image prefix", out error))
        {
            return false;
        }

        // One trailing '/' is how admins write "everything below" ("registry.example.com/os/"); it means the same.
        var trimmed = text!.EndsWith('/') ? text[..^1] : text;
        var slash = trimmed.IndexOf('/', StringComparison.Ordinal);
        var hostPart = slash < 0 ? trimmed : trimmed[..slash];
        var path = slash < 0 ? "" : trimmed[(slash + 1)..];
        if (hostPart.Length == 0 || !RegistryHostParser.LooksLikeHost(hostPart))
        {
            error = $"must start with a registry host like \"quay.io\" (with a '.' or a port, or localhost), got {Quote(text)}";
            return false;
        }

        if (!RegistryHostParser.TryParse(hostPart, 0, out var registry, out var port, out var problem)
            || (slash >= 0 && !RepositoryPathParser.TryValidate(path, slash + 1, out problem)))
        {
            error = $"must be a registry host with an optional repository path like \"quay.io/fedora/fedora-coreos\" (no tag or digest): {problem}, got {Quote(text)}";
            return false;
        }

        prefix = new ImageRepositoryPrefix(registry, port, path, text);
        error = "";
        return true;
    }

    /// <summary>Whether <paramref name="image"/>'s registry, port and repository fall under this prefix.</summary>
    public bool Allows(ImageReference image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return string.Equals(image.Registry, Registry, StringComparison.OrdinalIgnoreCase)
            && image.Port == Port
            && (Path.Length == 0
                || image.Repository == Path
                || (image.Repository.StartsWith(Path, StringComparison.Ordinal) && image.Repository[Path.Length] == '/'));
    }

    /// <summary>Whether any of <paramref name="prefixes"/> allows <paramref name="image"/>; an empty list allows every image.</summary>
    public static bool AnyAllows(IReadOnlyList<ImageRepositoryPrefix> prefixes, ImageReference image) =>
        prefixes.Count == 0 || prefixes.Any(p => p.Allows(image));

    /// <summary>The entry as configured.</summary>
    public override string ToString() => _text;

    private static string Quote(string? text) => $"\"{InputText.Excerpt(text ?? "")}\"";
}
