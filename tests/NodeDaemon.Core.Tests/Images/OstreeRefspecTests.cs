using NodeDaemon.Tests.Shared;
using System.Text.Json;
using NodeDaemon.Core.Images;

namespace NodeDaemon.Core.Tests.Images;

public sealed class OstreeRefspecTests
{
    private const string Hex = "4d3f08a40f2a4a0a3a3e1c8f0d4c3b2a1908f7e6d5c4b3a29180f7e6d5c4b3a2";

    [Theory]
    [InlineData("ostree-unverified-registry:quay.io/fedora/fedora-coreos:testing-devel",
        OstreeRefspecKind.UnverifiedRegistry, null, "registry", "", "quay.io/fedora/fedora-coreos:testing-devel")]
    [InlineData("ostree-image-signed:docker://quay.io/fedora/fedora-coreos:stable",
        OstreeRefspecKind.ImageSigned, null, "registry", "docker://", "quay.io/fedora/fedora-coreos:stable")]
    [InlineData("ostree-image-signed:registry:quay.io/fedora/fedora-coreos:stable",
        OstreeRefspecKind.ImageSigned, null, "registry", "registry:", "quay.io/fedora/fedora-coreos:stable")]
    [InlineData("ostree-unverified-image:docker://localhost:5000/os@sha256:" + Hex,
        OstreeRefspecKind.UnverifiedImage, null, "registry", "docker://", "localhost:5000/os@sha256:" + Hex)]
    [InlineData("ostree-remote-image:fedora:docker://quay.io/fedora/fedora-coreos:stable",
        OstreeRefspecKind.RemoteImage, "fedora", "registry", "docker://", "quay.io/fedora/fedora-coreos:stable")]
    [InlineData("ostree-remote-registry:fedora:quay.io/fedora/fedora-coreos:stable",
        OstreeRefspecKind.RemoteRegistry, "fedora", "registry", "", "quay.io/fedora/fedora-coreos:stable")]
    [InlineData("ostree-unverified-image:oci:/var/tmp/os-image:latest",
        OstreeRefspecKind.UnverifiedImage, null, "oci", "oci:", "/var/tmp/os-image:latest")]
    [InlineData("ostree-unverified-image:oci-archive:/var/tmp/os.tar",
        OstreeRefspecKind.UnverifiedImage, null, "oci-archive", "oci-archive:", "/var/tmp/os.tar")]
    [InlineData("ostree-unverified-image:docker-archive:/var/tmp/os.tar",
        OstreeRefspecKind.UnverifiedImage, null, "docker-archive", "docker-archive:", "/var/tmp/os.tar")]
    [InlineData("ostree-unverified-image:containers-storage:localhost/os:latest",
        OstreeRefspecKind.UnverifiedImage, null, "containers-storage", "containers-storage:", "localhost/os:latest")]
    [InlineData("ostree-image-signed:dir:/srv/os",
        OstreeRefspecKind.ImageSigned, null, "dir", "dir:", "/srv/os")]
    public void Parses_every_scheme_and_transport(
        string text, OstreeRefspecKind kind, string? remote, string transport, string prefix, string name)
    {
        Assert.True(OstreeRefspec.TryParse(text, out var refspec, out var error), error);
        Assert.NotNull(refspec);
        Assert.Equal(kind, refspec.Kind);
        Assert.Equal(remote, refspec.Remote);
        Assert.Equal(transport, refspec.Transport);
        Assert.Equal(prefix, refspec.TransportPrefix);
        Assert.Equal(name, refspec.Name);
        Assert.Equal(transport == "registry" ? name : null, refspec.Image?.ToString());
        Assert.Equal(text, refspec.ToString());
        Assert.Equal(refspec, OstreeRefspec.Parse(text));
    }

    [Fact]
    public void ForImage_unverified_uses_the_registry_shorthand()
    {
        var image = ImageReference.Parse("quay.io/fedora/fedora-coreos@sha256:" + Hex);

        var refspec = OstreeRefspec.ForImage(image, verified: false);

        Assert.Equal("ostree-unverified-registry:quay.io/fedora/fedora-coreos@sha256:" + Hex, refspec.ToString());
        Assert.Equal(OstreeRefspecKind.UnverifiedRegistry, refspec.Kind);
        Assert.Equal(image, refspec.Image);
        Assert.Equal(refspec, OstreeRefspec.Parse(refspec.ToString()));
    }

    [Fact]
    public void ForImage_verified_uses_image_signed_over_docker()
    {
        var image = ImageReference.Parse("quay.io/fedora/fedora-coreos:stable");

        var refspec = OstreeRefspec.ForImage(image, verified: true);

        Assert.Equal("ostree-image-signed:docker://quay.io/fedora/fedora-coreos:stable", refspec.ToString());
        Assert.Equal(OstreeRefspecKind.ImageSigned, refspec.Kind);
        Assert.Equal("registry", refspec.Transport);
        Assert.Equal(image, refspec.Image);
        Assert.Equal(refspec, OstreeRefspec.Parse(refspec.ToString()));
    }

    [Fact]
    public void Registry_and_docker_spellings_are_different_refspecs_for_the_same_image()
    {
        var docker = OstreeRefspec.Parse("ostree-image-signed:docker://quay.io/os:1");
        var registry = OstreeRefspec.Parse("ostree-image-signed:registry:quay.io/os:1");

        Assert.NotEqual(docker, registry);
        Assert.Equal(docker.Image, registry.Image);
    }

    public static TheoryData<string?, string> Invalid => new()
    {
        { null, "ostree refspec is null" },
        { "", "ostree refspec is empty" },
        { "quay.io/fedora/fedora-coreos", "the scheme is missing" },
        { "quay.io/fedora/fedora-coreos:stable", "unknown scheme \"quay.io/fedora/fedora-coreos\"; expected ostree-unverified-registry" },
        { "docker://quay.io/os:1", "unknown scheme \"docker\"" },
        { "ostree-unverified-registry:", "the image name at index 27 is empty" },
        { "ostree-unverified-registry:fedora:latest", "the registry host is required" },
        { "ostree-unverified-registry:quay.io/Os", "the repository path must be lowercase: 'O' at index 35" },
        { "ostree-unverified-registry:docker://quay.io/os", "the port after ':' at index 33 is empty" },
        { "ostree-image-signed:quay.io/os", "the transport at index 20 is missing" },
        { "ostree-image-signed:quay.io/os:1", "unknown transport \"quay.io/os\" at index 20" },
        { "ostree-image-signed:docker:quay.io/os", "the docker transport at index 20 must be written docker://" },
        { "ostree-image-signed:docker:/quay.io/os", "must be written docker://" },
        { "ostree-image-signed:ftp:x", "unknown transport \"ftp\"" },
        { "ostree-image-signed:docker://", "the image name at index 29 is empty" },
        { "ostree-image-signed:docker://quay.io/os@sha256:" + Hex[..10], "digest hex is 10 characters long; 64 expected" },
        { "ostree-unverified-image:oci:", "the image name at index 28 is empty" },
        { "ostree-unverified-image:containers-storage:[overlay@/var/lib/containers]x", "character '[' is not allowed in a containers-storage name at index 43" },
        { "ostree-unverified-image:oci:/tmp/a%b", "character '%' is not allowed in a oci name" },
        { "ostree-unverified-image", "the scheme is missing" },
        { "ostree-unverified-image:quay.io/os", "the transport at index 24 is missing" },
        { "ostree-remote-image:fedora", "the ':' after the ostree remote name (from index 20) is missing" },
        { "ostree-remote-image::docker://quay.io/os", "the ostree remote name at index 20 is empty" },
        { "ostree-remote-image:-x:docker://quay.io/os", "character '-' is not allowed in the ostree remote name at index 20" },
        { "ostree-remote-image:fe/dora:docker://quay.io/os", "character '/' is not allowed in the ostree remote name at index 22" },
        { "ostree-remote-registry:fedora:fedora/os", "the registry host is required" },
        { "ostree-unverified-registry:quay.io/os;reboot", "shell metacharacter ';' at index 37" },
        { "ostree-unverified-registry:quay.io/os\u0000", "control character \\u0000 at index 37" },
        { "ostree-unverified-registry: quay.io/os", "space \\u0020 at index 27" },
        { "ostree-unverified-registry:quay.io/os\n", "trailing whitespace \\u000a at index 37" },
        { "ostree-unverified-registry:quay.io/\u00e9", "non-ASCII character \\u00e9 at index 35" },
        { "ostree-unverified-registry:quay.io/" + new string('a', 4062), "ostree refspec is 4097 characters long; at most 4096 are allowed" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Rejects_invalid_refspecs_with_a_precise_message(string? text, string fragment)
    {
        Assert.False(OstreeRefspec.TryParse(text, out var refspec, out var error));
        Assert.Null(refspec);
        Assert.Contains(fragment, error, StringComparison.Ordinal);
        if (text is not null)
        {
            var thrown = Assert.Throws<ImageReferenceException>(() => OstreeRefspec.Parse(text));
            Assert.Equal(error, thrown.Message);
        }
    }

    [Fact]
    public void Parses_every_container_image_reference_in_the_real_status_fixtures()
    {
        var references = new List<string>();
        var digests = new List<string>();
        foreach (var file in Directory.EnumerateFiles(RepositoryPaths.RpmOstreeStatusFolder(), "*.json"))
        {
            using var document = JsonDocument.Parse(File.ReadAllText(file));
            Collect(document.RootElement, "container-image-reference", references);
            Collect(document.RootElement, "container-image-reference-digest", digests);
        }

        // The fixtures hold a staged container deployment and a signed one: at least those must be found.
        Assert.Contains("ostree-unverified-registry:quay.io/fedora/fedora-coreos:testing-devel", references);
        Assert.Contains("ostree-image-signed:docker://quay.io/fedora/fedora-coreos:stable", references);
        Assert.NotEmpty(digests);
        foreach (var text in references)
        {
            Assert.True(OstreeRefspec.TryParse(text, out var refspec, out var error), error);
            Assert.Equal(text, refspec!.ToString());
            Assert.NotNull(refspec.Image);
            Assert.Equal("quay.io", refspec.Image.Registry);
        }

        foreach (var text in digests)
        {
            Assert.True(Digest.TryParse(text, out var digest, out var error), error);
            Assert.Equal(text, digest.ToString());
        }
    }

    private static void Collect(JsonElement element, string key, List<string> found)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (property.Name == key && property.Value.ValueKind == JsonValueKind.String)
                    {
                        found.Add(property.Value.GetString()!);
                    }
                    else
                    {
                        Collect(property.Value, key, found);
                    }
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Collect(item, key, found);
                }

                break;
        }
    }
}
