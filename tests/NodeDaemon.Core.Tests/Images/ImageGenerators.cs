using CsCheck;

namespace NodeDaemon.Core.Tests.Images;

/// <summary>CsCheck generators for valid pullspecs, built from the grammar's own pieces.</summary>
internal static class ImageGenerators
{
    private const string LowerAlphanumerics = "abcdefghijklmnopqrstuvwxyz0123456789";
    private const string Alphanumerics = LowerAlphanumerics + "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private const string HexDigits = "0123456789abcdef";

    public static readonly Gen<string> DigestHex =
        Gen.Char[HexDigits].Array[64].Select(chars => new string(chars));

    public static readonly Gen<string> Digest = DigestHex.Select(hex => "sha256:" + hex);

    // [a-zA-Z0-9] | [a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]
    private static readonly Gen<string> _domainComponent =
        Gen.Select(
                Gen.Char[Alphanumerics],
                Gen.Char[Alphanumerics + "-"].Array[0, 8],
                Gen.Char[Alphanumerics],
                Gen.Bool)
            .Select((first, middle, last, single) =>
                single ? first.ToString() : first + new string(middle) + last);

    private static readonly Gen<string> _dottedDomain =
        _domainComponent.Array[2, 4].Select(parts => string.Join('.', parts));

    private static readonly Gen<string> _ipv4 =
        Gen.Int[0, 255].Array[4].Select(parts => string.Join('.', parts));

    private static readonly Gen<string> _ipv6 =
        Gen.OneOf("[::1]", "[fd00::5]", "[2001:db8::2:1]", "[fe80::a:b:c:d]", "[FD00:0:0:0:0:0:0:1]");

    private static readonly Gen<string> _port = Gen.Int[1, 65535].Select(port => ":" + port);

    // Dotted names, IPv4 and IPv6 hosts stand alone; a single label needs a port (or to be localhost).
    private static readonly Gen<string> _registry = Gen.OneOf(
        Gen.Select(Gen.OneOf(_dottedDomain, _ipv4, _ipv6, Gen.Const("localhost")), _port.Null(0.6))
            .Select((host, port) => host + port),
        Gen.Select(_domainComponent, _port, (host, port) => host + port));

    // [a-z0-9]+ ((?:[._]|__|[-]*)[a-z0-9]+)*
    private static readonly Gen<string> _alphanumericRun =
        Gen.Char[LowerAlphanumerics].Array[1, 6].Select(chars => new string(chars));

    private static readonly Gen<string> _separator = Gen.OneOf(".", "_", "__", "-", "--", "---");

    private static readonly Gen<string> _pathComponent =
        Gen.Select(_alphanumericRun, Gen.Select(_separator, _alphanumericRun, (s, a) => s + a).Array[0, 3])
            .Select((head, tail) => head + string.Concat(tail));

    private static readonly Gen<string> _path =
        _pathComponent.Array[1, 4].Select(parts => string.Join('/', parts));

    // [\w][\w.-]{0,127}
    private static readonly Gen<string> _tag =
        Gen.Select(Gen.Char[Alphanumerics + "_"], Gen.Char[Alphanumerics + "_.-"].Array[0, 127])
            .Select((first, rest) => first + new string(rest));

    /// <summary>Valid pullspecs: registry, path, optional tag and optional digest, name within 255 chars.</summary>
    public static readonly Gen<string> Reference =
        Gen.Select(_registry, _path, _tag.Null(0.3), Digest.Null(0.5))
            .Where((registry, path, _, _) => registry.Length + 1 + path.Length <= 255)
            .Select((registry, path, tag, digest) =>
                registry + "/" + path + (tag is null ? string.Empty : ":" + tag) + (digest is null ? string.Empty : "@" + digest));

    private static readonly Gen<string> _localName =
        Gen.Char[Alphanumerics + "._-/:@+=,"].Array[1, 40].Select(chars => new string(chars));

    /// <summary>Valid refspecs over every scheme and transport.</summary>
    public static readonly Gen<string> Refspec = Gen.OneOf(
        Reference.Select(r => "ostree-unverified-registry:" + r),
        Reference.Select(r => "ostree-image-signed:docker://" + r),
        Reference.Select(r => "ostree-unverified-image:registry:" + r),
        Gen.Select(Gen.OneOf("fedora", "rhel_9", "my-remote.1"), Reference)
            .Select((remote, r) => $"ostree-remote-image:{remote}:docker://{r}"),
        Gen.Select(Gen.OneOf("fedora", "x"), Reference)
            .Select((remote, r) => $"ostree-remote-registry:{remote}:{r}"),
        Gen.Select(Gen.OneOf("oci", "oci-archive", "docker-archive", "containers-storage", "dir"), _localName)
            .Select((transport, name) => $"ostree-unverified-image:{transport}:{name}"));

    /// <summary>Characters that must never be accepted anywhere in a reference.</summary>
    public static readonly Gen<char> Hostile = Gen.OneOf(
        Gen.Char['\0', '\u001f'],
        Gen.Char['\u007f', '\u009f'],
        Gen.Char[" \t\n\r\v\f\u00a0\u1680\u2000\u2028\u2029\u202f\u3000\ufeff"],
        Gen.Char[";|&$`<>(){}'\"\\*?!#~^"],
        Gen.Char['\u00a1', '\uffff']);
}
