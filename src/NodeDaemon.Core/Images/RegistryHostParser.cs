using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace NodeDaemon.Core.Images;

/// <summary>The registry host of an image reference: a DNS name, an IPv4 address or a bracketed IPv6 one, and an optional port.</summary>
/// <remarks>Part of <see cref="ImageReferenceParser"/>: the input is screened, and reported indexes are shifted by the caller's offset.</remarks>
internal static class RegistryHostParser
{
    /// <summary>Whether a first segment names a registry host; unlike docker, one without '.' or ':' is never taken as a Docker Hub namespace.</summary>
    internal static bool LooksLikeHost(string hostPart) =>
        hostPart.StartsWith('[')
        || hostPart.Contains('.', StringComparison.Ordinal)
        || hostPart.Contains(':', StringComparison.Ordinal)
        || hostPart == "localhost";

    /// <summary>Parses <paramref name="hostPart"/> (what precedes the first '/') into its host and port.</summary>
    internal static bool TryParse(string hostPart, int offset, out string registry, out int? port, out string problem)
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
}
