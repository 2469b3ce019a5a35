using NodeDaemon.Core.Images;

namespace NodeDaemon.Core.Tests.Images;

public sealed class ImageReferenceTests
{
    private const string Hex = "4d3f08a40f2a4a0a3a3e1c8f0d4c3b2a1908f7e6d5c4b3a29180f7e6d5c4b3a2";

    [Theory]
    [InlineData("quay.io/fedora/fedora-coreos:stable", "quay.io", null, "fedora/fedora-coreos", "stable", false)]
    [InlineData("quay.io/fedora/fedora-coreos@sha256:" + Hex, "quay.io", null, "fedora/fedora-coreos", null, true)]
    [InlineData("quay.io/fedora/fedora-coreos:stable@sha256:" + Hex, "quay.io", null, "fedora/fedora-coreos", "stable", true)]
    [InlineData("registry.example.com:5000/team/os/node-image", "registry.example.com", 5000, "team/os/node-image", null, false)]
    [InlineData("localhost/os", "localhost", null, "os", null, false)]
    [InlineData("localhost:5000/os:v1.2_3-rc", "localhost", 5000, "os", "v1.2_3-rc", false)]
    [InlineData("registry:5000/os", "registry", 5000, "os", null, false)]
    [InlineData("10.0.0.1:443/os", "10.0.0.1", 443, "os", null, false)]
    [InlineData("[::1]:5000/os:latest", "[::1]", 5000, "os", "latest", false)]
    [InlineData("[fd00::5]/os", "[fd00::5]", null, "os", null, false)]
    [InlineData("Quay.IO/a__b/c--d/e.f/g_h", "Quay.IO", null, "a__b/c--d/e.f/g_h", null, false)]
    [InlineData("quay.io/os:_", "quay.io", null, "os", "_", false)]
    [InlineData("quay.io:65535/os", "quay.io", 65535, "os", null, false)]
    public void Parses_valid_references_into_their_parts(
        string text, string registry, int? port, string repository, string? tag, bool hasDigest)
    {
        Assert.True(ImageReference.TryParse(text, out var reference, out var error), error);
        Assert.NotNull(reference);
        Assert.Equal(string.Empty, error);
        Assert.Equal(registry, reference.Registry);
        Assert.Equal(port, reference.Port);
        Assert.Equal(repository, reference.Repository);
        Assert.Equal(tag, reference.Tag);
        Assert.Equal(hasDigest, reference.HasDigest);
        Assert.Equal(hasDigest ? "sha256:" + Hex : null, reference.Digest?.ToString());
        Assert.Equal(text, reference.ToString());
        Assert.Equal(reference, ImageReference.Parse(reference.ToString()));
    }

    [Fact]
    public void Name_is_registry_port_and_repository_without_tag_or_digest()
    {
        var reference = ImageReference.Parse("localhost:5000/team/os:stable@sha256:" + Hex);

        Assert.Equal("localhost:5000/team/os", reference.Name);
    }

    [Fact]
    public void WithDigest_pins_the_reference_and_keeps_the_tag()
    {
        var reference = ImageReference.Parse("quay.io/fedora/fedora-coreos:stable");

        var pinned = reference.WithDigest(Digest.Parse("sha256:" + Hex));

        Assert.Equal("quay.io/fedora/fedora-coreos:stable@sha256:" + Hex, pinned.ToString());
        Assert.False(reference.HasDigest);
        Assert.Throws<ArgumentException>(() => reference.WithDigest(default));
    }

    [Fact]
    public void Parse_throws_the_same_message_as_TryParse()
    {
        Assert.False(ImageReference.TryParse("fedora:latest", out _, out var error));

        var thrown = Assert.Throws<ImageReferenceException>(() => ImageReference.Parse("fedora:latest"));

        Assert.Equal(error, thrown.Message);
    }

    public static TheoryData<string?, string> Invalid => new()
    {
        { null, "image reference is null" },
        { "", "image reference is empty" },
        { "fedora:latest", "the registry host is required, e.g. quay.io/fedora/fedora-coreos:stable; \"fedora\" is not a registry host" },
        { "fedora", "the registry host is required" },
        { "fedora/fedora-coreos:stable", "\"fedora\" is not a registry host" },
        { "/fedora/os", "must not start with '/'; the registry host is required" },
        { "quay.io", "the repository path is missing after the registry host" },
        { "quay.io:443", "the repository path is missing" },
        { "quay.io/", "the repository path at index 8 is empty" },
        { "quay.io/:tag", "the repository path at index 8 is empty" },
        { "quay.io//os", "empty component (\"//\") at index 8" },
        { "quay.io/a//b", "empty component (\"//\") at index 10" },
        { "quay.io/os/", "must not end with '/' (index 10)" },
        { "quay.io/Fedora/os", "the repository path must be lowercase: 'F' at index 8" },
        { "quay.io/os/-a", "must start with a lowercase letter or digit, not '-' at index 11" },
        { "quay.io/os.", "must end with a lowercase letter or digit, not '.' at index 10" },
        { "quay.io/a..b", "separator \"..\" at index 9 is not allowed" },
        { "quay.io/a___b", "separator \"___\"" },
        { "quay.io/a._b", "separator \"._\"" },
        { "quay.io/a%b", "character '%' is not allowed in the repository path at index 9" },
        { "quay.io/os:", "the tag after ':' at index 10 is empty" },
        { "quay.io/os:.v1", "the tag must start with a letter, digit or '_', not '.' at index 11" },
        { "quay.io/os:v1:v2", "character ':' is not allowed in the tag at index 13" },
        { "quay.io/os:v1/x", "character '/' is not allowed in the tag at index 13" },
        { "quay.io/os:" + new string('a', 129), "the tag is 129 characters long; at most 128 are allowed" },
        { "quay.io:0/os", "the port 0 at index 8 is out of range 1..65535" },
        { "quay.io:65536/os", "the port 65536 at index 8 is out of range 1..65535" },
        { "quay.io:99999999999/os", "out of range 1..65535" },
        { "quay.io:0443/os", "has a leading zero" },
        { "quay.io:/os", "the port after ':' at index 7 is empty" },
        { "quay.io:ab/os", "the port has a non-digit character 'a' at index 8" },
        { "quay..io/os", "the registry host has an empty component at index 5" },
        { ".quay.io/os", "empty component at index 0" },
        { "-quay.io/os", "registry host component \"-quay\" must start and end with a letter or digit" },
        { "quay_io.com/os", "character '_' is not allowed in the registry host at index 4" },
        { "[::1/os", "missing its closing ']'" },
        { "[::g]/os", "character 'g' is not allowed in an IPv6 registry host at index 3" },
        { "[1:2:3]/os", "\"[1:2:3]\" is not a valid IPv6 address" },
        { "[fe80::1%25eth0]/os", "character '%' is not allowed in an IPv6 registry host" },
        { "[::1]x/os", "unexpected 'x' at index 5 after the IPv6 registry host" },
        { "quay.io/os@", "the digest after '@' at index 10 is empty" },
        { "@sha256:" + Hex, "the name is missing before '@'" },
        { "quay.io/os@sha256:" + Hex.ToUpperInvariant(), "digest hex must be lowercase: 'D' at index 19" },
        { "quay.io/os@sha256:" + Hex[..63], "digest hex is 63 characters long; 64 expected" },
        { "quay.io/os@sha512:" + Hex, "unsupported digest algorithm \"sha512\"" },
        { "quay.io/os@sha256:" + Hex + "@sha256:" + Hex, "non-hex character '@' at index 82" },
        { "quay.io/" + new string('a', 250), "the name (registry and repository) is 258 characters long; at most 255 are allowed" },
        { " quay.io/os", "leading whitespace \\u0020 at index 0" },
        { "quay.io/os\t", "trailing whitespace \\u0009 at index 10" },
        { "quay.io/o s", "space \\u0020 at index 9" },
        { "quay.io/os\u0000", "control character \\u0000 at index 10" },
        { "quay.io/\u001bos", "control character \\u001b at index 8" },
        { "quay.io/os;reboot", "shell metacharacter ';' at index 10" },
        { "quay.io/os$(id)", "shell metacharacter '$' at index 10" },
        { "quay.io/os|sh", "shell metacharacter '|' at index 10" },
        { "quay.io/`id`", "shell metacharacter '`' at index 8" },
        { "quay.io/os>x", "shell metacharacter '>' at index 10" },
        { "quay.io/os&", "shell metacharacter '&' at index 10" },
        { "quay.io/os*", "shell metacharacter '*' at index 10" },
        { "quay.io/os'", "shell metacharacter ''' at index 10" },
        { "quay.io/ös", "non-ASCII character \\u00f6 at index 8" },
        { "quay.io/os\u00a0x", "whitespace \\u00a0 at index 10" },
        { "qu\u0430y.io/os", "non-ASCII character \\u0430 at index 2" },
        { new string('a', 4097), "image reference is 4097 characters long; at most 4096 are allowed" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Rejects_invalid_references_with_a_precise_message(string? text, string fragment)
    {
        Assert.False(ImageReference.TryParse(text, out var reference, out var error));
        Assert.Null(reference);
        Assert.Contains(fragment, error, StringComparison.Ordinal);
        Assert.DoesNotContain(error, c => char.IsControl(c));
    }

    [Fact]
    public void Messages_echo_at_most_a_short_escaped_excerpt_of_the_input()
    {
        var text = "quay.io/" + new string('a', 3000) + ";";

        Assert.False(ImageReference.TryParse(text, out _, out var error));

        Assert.Contains("shell metacharacter ';' at index 3008", error, StringComparison.Ordinal);
        Assert.Contains("…", error, StringComparison.Ordinal);
        Assert.True(error.Length < 200, error);
        Assert.DoesNotContain(new string('a', 100), error, StringComparison.Ordinal);
    }

    [Fact]
    public void Over_long_input_is_refused_without_echoing_any_of_it()
    {
        var text = "quay.io/" + new string('x', 5000);

        Assert.False(ImageReference.TryParse(text, out _, out var error));

        Assert.Equal("image reference is 5008 characters long; at most 4096 are allowed", error);
    }

    [Fact]
    public void Equality_is_by_value()
    {
        var a = ImageReference.Parse("quay.io/fedora/fedora-coreos:stable");
        var b = ImageReference.Parse("quay.io/fedora/fedora-coreos:stable");
        var c = ImageReference.Parse("quay.io/fedora/fedora-coreos:testing");

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, c);
    }
}
