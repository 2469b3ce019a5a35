namespace NodeDaemon.Core.Images;

/// <summary>The scanner behind <see cref="OstreeRefspec.TryParse"/>, following ostree-rs-ext's scheme and transport rules.</summary>
internal static class OstreeRefspecParser
{
    /// <summary>What the input is called in messages.</summary>
    public const string Subject = "ostree refspec";

    /// <summary>The transport name of a container registry.</summary>
    public const string Registry = "registry";

    private const string KnownSchemes =
        "ostree-unverified-registry, ostree-image-signed, ostree-unverified-image, ostree-remote-image or ostree-remote-registry";

    private const string KnownTransports =
        "registry:, docker://, oci:, oci-archive:, docker-archive:, containers-storage: or dir:";

    // Transports that name something on the local host rather than in a registry.
    private static readonly string[] _localTransports = ["oci", "oci-archive", "docker-archive", "containers-storage", "dir"];

    /// <summary>The scheme text of <paramref name="kind"/>, without the colon.</summary>
    public static string SchemeOf(OstreeRefspecKind kind) => kind switch
    {
        OstreeRefspecKind.UnverifiedRegistry => "ostree-unverified-registry",
        OstreeRefspecKind.ImageSigned => "ostree-image-signed",
        OstreeRefspecKind.RemoteImage => "ostree-remote-image",
        OstreeRefspecKind.UnverifiedImage => "ostree-unverified-image",
        OstreeRefspecKind.RemoteRegistry => "ostree-remote-registry",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown refspec kind"),
    };

    /// <summary>Parses a screened refspec; <paramref name="problem"/> lacks the "invalid ..." prefix.</summary>
    public static bool TryParse(string text, out OstreeRefspec? refspec, out string problem)
    {
        refspec = null;
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            problem = $"the scheme is missing; expected e.g. ostree-unverified-registry:quay.io/fedora/fedora-coreos:stable";
            return false;
        }

        if (!TryKindOf(text[..colon], out var kind))
        {
            problem = $"unknown scheme \"{InputText.Excerpt(text[..colon])}\"; expected {KnownSchemes}";
            return false;
        }

        var position = colon + 1;
        string? remote = null;
        if (kind is OstreeRefspecKind.RemoteImage or OstreeRefspecKind.RemoteRegistry)
        {
            if (!TryReadRemote(text, position, out remote, out problem))
            {
                return false;
            }

            position += remote.Length + 1;
        }

        string transport;
        string prefix;
        if (kind is OstreeRefspecKind.UnverifiedRegistry or OstreeRefspecKind.RemoteRegistry)
        {
            // The shorthands imply the registry transport and are followed by the pullspec itself.
            (transport, prefix) = (Registry, string.Empty);
        }
        else if (!TryReadTransport(text, position, out transport, out prefix, out problem))
        {
            return false;
        }

        position += prefix.Length;
        var name = text[position..];
        if (name.Length == 0)
        {
            problem = InputText.Format($"the image name at index {position} is empty");
            return false;
        }

        ImageReference? image = null;
        if (transport == Registry)
        {
            if (!ImageReferenceParser.TryParse(name, position, out image, out problem))
            {
                return false;
            }
        }
        else if (!TryValidateLocalName(name, transport, position, out problem))
        {
            return false;
        }

        refspec = new OstreeRefspec(kind, remote, transport, prefix, name, image);
        problem = string.Empty;
        return true;
    }

    private static bool TryKindOf(string scheme, out OstreeRefspecKind kind)
    {
        foreach (var candidate in Enum.GetValues<OstreeRefspecKind>())
        {
            if (SchemeOf(candidate) == scheme)
            {
                kind = candidate;
                return true;
            }
        }

        kind = default;
        return false;
    }

    // ostree's own rule for remote names: a word character, then word characters, '.', '-' or '_'.
    private static bool TryReadRemote(string text, int start, out string remote, out string problem)
    {
        var end = text.IndexOf(':', start);
        if (end < 0)
        {
            remote = string.Empty;
            problem = InputText.Format($"the ':' after the ostree remote name (from index {start}) is missing");
            return false;
        }

        remote = text[start..end];
        if (remote.Length == 0)
        {
            problem = InputText.Format($"the ostree remote name at index {start} is empty");
            return false;
        }

        for (var i = 0; i < remote.Length; i++)
        {
            var c = remote[i];
            var allowed = char.IsAsciiLetterOrDigit(c) || c == '_' || (i > 0 && c is '.' or '-');
            if (!allowed)
            {
                problem = InputText.Format($"character {InputText.Describe(c)} is not allowed in the ostree remote name at index {start + i}");
                return false;
            }
        }

        problem = string.Empty;
        return true;
    }

    private static bool TryReadTransport(string text, int start, out string transport, out string prefix, out string problem)
    {
        transport = prefix = string.Empty;
        var end = text.IndexOf(':', start);
        if (end < 0)
        {
            problem = InputText.Format($"the transport at index {start} is missing; expected {KnownTransports}");
            return false;
        }

        var written = text[start..end];
        if (written == "docker")
        {
            // ostree-rs-ext accepts "docker" only as the URL-like "docker://".
            if (string.CompareOrdinal(text, end + 1, "//", 0, 2) != 0)
            {
                problem = InputText.Format($"the docker transport at index {start} must be written docker://");
                return false;
            }

            (transport, prefix) = (Registry, "docker://");
        }
        else if (written == Registry || Array.IndexOf(_localTransports, written) >= 0)
        {
            (transport, prefix) = (written, written + ":");
        }
        else
        {
            problem = InputText.Format($"unknown transport \"{InputText.Excerpt(written)}\" at index {start}; expected {KnownTransports}");
            return false;
        }

        problem = string.Empty;
        return true;
    }

    private static bool TryValidateLocalName(string name, string transport, int offset, out string problem)
    {
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '_' or '-' or '/' or ':' or '@' or '+' or '=' or ','))
            {
                problem = InputText.Format($"character {InputText.Describe(c)} is not allowed in a {transport} name at index {offset + i}");
                return false;
            }
        }

        problem = string.Empty;
        return true;
    }
}
