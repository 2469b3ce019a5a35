namespace NodeDaemon.Core.Images;

/// <summary>The hand-written scanner behind <see cref="ImageReference.TryParse"/>: the reference's parts, its tag and its lengths.</summary>
/// <remarks>
/// A scanner rather than one big regular expression, so that each failure can name the part that is
/// wrong and where. Input reaches it only after <see cref="InputText.TryScreen"/>, so it is printable
/// ASCII without spaces or shell metacharacters. Every reported index is shifted by the caller's offset,
/// which lets an ostree refspec report positions within the whole refspec. The registry host is
/// <see cref="RegistryHostParser"/>'s, the repository path <see cref="RepositoryPathParser"/>'s.
/// </remarks>
internal static class ImageReferenceParser
{
    private const string Example = "quay.io/fedora/fedora-coreos:stable";

    /// <summary>Parses a screened pullspec; <paramref name="problem"/> lacks the "invalid ..." prefix.</summary>
    public static bool TryParse(string text, int offset, out ImageReference? reference, out string problem)
    {
        reference = null;
        var nameAndTag = text;
        Digest? digest = null;

        var atSign = text.IndexOf('@', StringComparison.Ordinal);
        if (atSign >= 0)
        {
            if (atSign == 0)
            {
                problem = $"the name is missing before '@'; expected e.g. {Example}";
                return false;
            }

            var digestText = text[(atSign + 1)..];
            if (digestText.Length == 0)
            {
                problem = InputText.Format($"the digest after '@' at index {offset + atSign} is empty");
                return false;
            }

            if (!Digest.TryParseCore(digestText, offset + atSign + 1, out var parsed, out problem))
            {
                return false;
            }

            digest = parsed;
            nameAndTag = text[..atSign];
        }

        var slash = nameAndTag.IndexOf('/', StringComparison.Ordinal);
        if (slash == 0)
        {
            problem = $"the reference must not start with '/'; the registry host is required, e.g. {Example}";
            return false;
        }

        var hostPart = slash < 0 ? nameAndTag : nameAndTag[..slash];

        // Without a '/', a ':' starts a tag ("fedora:latest"), so only what precedes it can be a host.
        if (!RegistryHostParser.LooksLikeHost(slash < 0 ? ShortName(hostPart) : hostPart))
        {
            problem = $"the registry host is required, e.g. {Example}; " +
                $"\"{InputText.Excerpt(ShortName(hostPart))}\" is not a registry host (it has no '.' or port, and is not localhost)";
            return false;
        }

        if (slash < 0)
        {
            problem = $"the repository path is missing after the registry host, e.g. {Example}";
            return false;
        }

        if (!RegistryHostParser.TryParse(hostPart, offset, out var registry, out var port, out problem))
        {
            return false;
        }

        var rest = nameAndTag[(slash + 1)..];
        var restOffset = offset + slash + 1;
        var colon = rest.IndexOf(':', StringComparison.Ordinal);
        var repository = colon < 0 ? rest : rest[..colon];
        string? tag = colon < 0 ? null : rest[(colon + 1)..];

        if (!RepositoryPathParser.TryValidate(repository, restOffset, out problem))
        {
            return false;
        }

        if (tag is not null && !TryValidateTag(tag, restOffset + colon + 1, out problem))
        {
            return false;
        }

        var nameLength = slash + 1 + repository.Length;
        if (nameLength > ImageReference.MaxNameLength)
        {
            problem = InputText.Format(
                $"the name (registry and repository) is {nameLength} characters long; at most {ImageReference.MaxNameLength} are allowed");
            return false;
        }

        reference = new ImageReference(registry, port, repository, tag, digest);
        problem = string.Empty;
        return true;
    }

    // For "fedora:latest" name the "fedora" part, not the tag.
    private static string ShortName(string hostPart)
    {
        var colon = hostPart.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? hostPart : hostPart[..colon];
    }

    private static bool TryValidateTag(string tag, int offset, out string problem)
    {
        if (tag.Length == 0)
        {
            problem = InputText.Format($"the tag after ':' at index {offset - 1} is empty");
            return false;
        }

        if (tag.Length > ImageReference.MaxTagLength)
        {
            problem = InputText.Format($"the tag is {tag.Length} characters long; at most {ImageReference.MaxTagLength} are allowed");
            return false;
        }

        if (!IsTagWordCharacter(tag[0]))
        {
            problem = InputText.Format($"the tag must start with a letter, digit or '_', not {InputText.Describe(tag[0])} at index {offset}");
            return false;
        }

        for (var i = 1; i < tag.Length; i++)
        {
            if (!IsTagWordCharacter(tag[i]) && tag[i] is not ('.' or '-'))
            {
                problem = InputText.Format($"character {InputText.Describe(tag[i])} is not allowed in the tag at index {offset + i}");
                return false;
            }
        }

        problem = string.Empty;
        return true;
    }

    private static bool IsTagWordCharacter(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';
}
