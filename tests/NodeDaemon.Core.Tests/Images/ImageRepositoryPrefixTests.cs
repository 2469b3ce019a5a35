using NodeDaemon.Core.Images;

namespace NodeDaemon.Core.Tests.Images;

/// <summary>Parsing allowedImages entries: what is a registry[/path] prefix and what is refused at start.</summary>
public sealed class ImageRepositoryPrefixTests
{
    [Theory]
    [InlineData("quay.io", "quay.io", null, "")]
    [InlineData("quay.io/", "quay.io", null, "")]
    [InlineData("quay.io/fedora/fedora-coreos", "quay.io", null, "fedora/fedora-coreos")]
    [InlineData("registry.example.com/os/", "registry.example.com", null, "os")]
    [InlineData("localhost:5000/nodedaemon", "localhost", 5000, "nodedaemon")]
    [InlineData("[fd00::5]:5000/os", "[fd00::5]", 5000, "os")]
    public void Valid_entries_parse(string text, string registry, int? port, string path)
    {
        Assert.True(ImageRepositoryPrefix.TryParse(text, out var prefix, out var error), error);
        Assert.Equal(registry, prefix!.Registry);
        Assert.Equal(port, prefix.Port);
        Assert.Equal(path, prefix.Path);
        Assert.Equal(text, prefix.ToString());
    }

    [Theory]
    [InlineData("", "allowed image prefix is empty")]
    [InlineData("fedora/fedora-coreos", "must start with a registry host")]
    [InlineData("/quay.io/x", "must start with a registry host")]
    [InlineData("quay.io/fedora/../x", "fedora/fedora-coreos")]
    [InlineData("quay.io/Fedora", "fedora/fedora-coreos")]
    [InlineData("quay.io/fedora:stable", "no tag or digest")]
    [InlineData("quay.io/fedora@sha256:1111111111111111111111111111111111111111111111111111111111111111", "no tag or digest")]
    [InlineData("user@quay.io/fedora", "no tag or digest")]
    [InlineData("quay.io:0/fedora", "no tag or digest")]
    [InlineData("quay.io//fedora", "no tag or digest")]
    public void Bad_entries_are_refused_in_words(string text, string expected)
    {
        Assert.False(ImageRepositoryPrefix.TryParse(text, out var prefix, out var error));
        Assert.Null(prefix);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_list_allows_any_image() =>
        Assert.True(ImageRepositoryPrefix.AnyAllows([], ImageReference.Parse("evil.example.com/x:1")));
}
