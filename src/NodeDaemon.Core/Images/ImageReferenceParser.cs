using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace NodeDaemon.Core.Images;

/// <summary>The hand-written scanner behind <see cref="ImageReference.TryParse"/>.</summary>
/// <remarks>
/// A scanner rather than one big regular expression, so that each failure can name the part that is
/// wrong and where. Input reaches it only after <see cref="InputText.TryScreen"/>, so it is printable
/// ASCII without spaces or shell metacharacters. Every reported index is shifted by the caller's offset,
/// which lets an ostree refspec report positions within the whole refspec.
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
        if (!LooksLikeRegistryHost(slash < 0 ? ShortName(hostPart) : hostPart))
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

        if (!TryParseHost(hostPart, offset, out var registry, out var port, out problem))
        {
            return false;
        }

        var rest = nameAndTag[(slash + 1)..];
        var restOffset = offset + slash + 1;
        var colon = rest.IndexOf(':', StringComparison.Ordinal);
        var repository = colon < 0 ? rest : rest[..colon];
        string? tag = colon < 0 ? null : rest[(colon + 1)..];

        if (!TryValidatePath(repository, restOffset, out problem))
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

    // Unlike docker, a first segment without '.' or ':' is never taken as a Docker Hub namespace.
    private static bool LooksLikeRegistryHost(string hostPart) =>
        hostPart.StartsWith('[')
        || hostPart.Contains('.', StringComparison.Ordinal)
        || hostPart.Contains(':', StringComparison.Ordinal)
        || hostPart == "localhost";

    // For "fedora:latest" name the "fedora" part, not the tag.
    private static string ShortName(string hostPart)
    {
        var colon = hostPart.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? hostPart : hostPart[..colon];
    }

    private static bool TryParseHost(string hostPart, int offset, out string registry, out int? port, out string problem)
    {
        registry = string.Empty;
        port = null;

        int hostEnd;
        if (hostPart.StartsWith('['))
        {
            hostEnd = hostPart.IndexOf(']', StringComparison.Ordinal) + 1;
            if (hostEnd == 0)
            {
                problem = "the IPv6 registry host is missing its closing ']'";
                return false;
            }

            if (!TryValidateIPv6(hostPart[1..(hostEnd - 1)], offset + 1, out problem))
            {
                return false;
            }

            if (hostEnd < hostPart.Length && hostPart[hostEnd] != ':')
            {
                problem = InputText.Format(
                    $"unexpected {InputText.Describe(hostPart[hostEnd])} at index {offset + hostEnd} after the IPv6 registry host; expected ':' or '/'");
                return false;
            }
        }
        else
        {
            var colon = hostPart.IndexOf(':', StringComparison.Ordinal);
            hostEnd = colon < 0 ? hostPart.Length : colon;
            if (!TryValidateDomain(hostPart[..hostEnd], offset, out problem))
            {
                return false;
            }
        }

        if (hostEnd < hostPart.Length && !TryParsePort(hostPart[(hostEnd + 1)..], offset + hostEnd + 1, out port, out problem))
        {
            return false;
        }

        registry = hostPart[..hostEnd];
        problem = string.Empty;
        return true;
    }

    private static bool TryValidateIPv6(string address, int offset, out string problem)
    {
        for (var i = 0; i < address.Length; i++)
        {
            if (!char.IsAsciiHexDigit(address[i]) && address[i] != ':')
            {
                // Also refuses zones ("%eth0") and embedded IPv4, which registries never need.
                problem = InputText.Format(
                    $"character {InputText.Describe(address[i])} is not allowed in an IPv6 registry host at index {offset + i}");
                return false;
            }
        }

        if (!IPAddress.TryParse(address, out var parsed) || parsed.AddressFamily != AddressFamily.InterNetworkV6)
        {
            problem = $"\"[{InputText.Excerpt(address)}]\" is not a valid IPv6 address";
            return false;
        }

        problem = string.Empty;
        return true;
    }

    private static bool TryValidateDomain(string host, int offset, out string problem)
    {
        if (host.Length == 0)
        {
            problem = InputText.Format($"the registry host is empty before ':' at index {offset}");
            return false;
        }

        var start = 0;
        for (var i = 0; i <= host.Length; i++)
        {
            if (i < host.Length && host[i] != '.')
            {
                if (!char.IsAsciiLetterOrDigit(host[i]) && host[i] != '-')
                {
                    problem = InputText.Format(
                        $"character {InputText.Describe(host[i])} is not allowed in the registry host at index {offset + i}");
                    return false;
                }

                continue;
            }

            // A component ends here, at a '.' or at the end of the host.
            if (i == start)
            {
                problem = InputText.Format($"the registry host has an empty component at index {offset + i}");
                return false;
            }

            if (host[start] == '-' || host[i - 1] == '-')
            {
                problem = $"registry host component \"{InputText.Excerpt(host[start..i])}\" must start and end with a letter or digit";
                return false;
            }

            start = i + 1;
        }

        problem = string.Empty;
        return true;
    }

    private static bool TryParsePort(string text, int offset, out int? port, out string problem)
    {
        port = null;
        if (text.Length == 0)
        {
            problem = InputText.Format($"the port after ':' at index {offset - 1} is empty");
            return false;
        }

        for (var i = 0; i < text.Length; i++)
        {
            if (!char.IsAsciiDigit(text[i]))
            {
                problem = InputText.Format($"the port has a non-digit character {InputText.Describe(text[i])} at index {offset + i}");
                return false;
            }
        }

        // Leading zeros would make two spellings of one reference; keep the text canonical.
        if (text[0] == '0' && text.Length > 1)
        {
            problem = InputText.Format($"the port \"{InputText.Excerpt(text)}\" at index {offset} has a leading zero");
            return false;
        }

        if (text.Length > 5 || int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture) is < 1 or > 65535)
        {
            problem = InputText.Format($"the port {InputText.Excerpt(text)} at index {offset} is out of range 1..65535");
            return false;
        }

        port = int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
        problem = string.Empty;
        return true;
    }

    private static bool TryValidatePath(string path, int offset, out string problem)
    {
        if (path.Length == 0)
        {
            problem = InputText.Format($"the repository path at index {offset} is empty");
            return false;
        }

        for (var i = 0; i < path.Length; i++)
        {
            var c = path[i];
            if (c == '/')
            {
                if (i == 0 || path[i - 1] == '/')
                {
                    problem = InputText.Format($"the repository path has an empty component (\"//\") at index {offset + i}");
                    return false;
                }

                if (i == path.Length - 1)
                {
                    problem = InputText.Format($"the repository path must not end with '/' (index {offset + i})");
                    return false;
                }

                continue;
            }

            if (char.IsAsciiLetterUpper(c))
            {
                problem = InputText.Format($"the repository path must be lowercase: {InputText.Describe(c)} at index {offset + i}");
                return false;
            }

            if (IsPathAlphanumeric(c))
            {
                continue;
            }

            if (c is not ('.' or '_' or '-'))
            {
                problem = InputText.Format($"character {InputText.Describe(c)} is not allowed in the repository path at index {offset + i}");
                return false;
            }

            if (i == 0 || path[i - 1] == '/')
            {
                problem = InputText.Format(
                    $"a repository path component must start with a lowercase letter or digit, not {InputText.Describe(c)} at index {offset + i}");
                return false;
            }

            var end = i;
            while (end < path.Length && path[end] is '.' or '_' or '-')
            {
                end++;
            }

            var separator = path[i..end];
            if (separator is not ("." or "_" or "__") && separator.Trim('-').Length != 0)
            {
                problem = InputText.Format(
                    $"separator \"{InputText.Excerpt(separator)}\" at index {offset + i} is not allowed in the repository path (use '.', '_', '__' or dashes)");
                return false;
            }

            if (end == path.Length || path[end] == '/')
            {
                problem = InputText.Format(
                    $"a repository path component must end with a lowercase letter or digit, not {InputText.Describe(path[end - 1])} at index {offset + end - 1}");
                return false;
            }

            i = end - 1;
        }

        problem = string.Empty;
        return true;
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

    private static bool IsPathAlphanumeric(char c) => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c);

    private static bool IsTagWordCharacter(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';
}
