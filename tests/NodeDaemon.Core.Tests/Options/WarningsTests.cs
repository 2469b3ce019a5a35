using NodeDaemon.Core.Images;
using NodeDaemon.Core.Options;

namespace NodeDaemon.Core.Tests.Options;

/// <summary>Valid but unsafe settings: warned about, never refused.</summary>
public sealed class WarningsTests
{
    private static readonly ImageRepositoryPrefix[] s_fedora =
        [ImageRepositoryPrefix.TryParse("quay.io/fedora", out var p, out _) ? p! : throw new InvalidOperationException()];

    [Fact]
    public void The_defaults_warn_that_any_image_is_booted_unverified()
    {
        var warning = Assert.Single(new NodeDaemonOptions().Warnings());

        Assert.StartsWith("allowedImages is empty while signaturePolicy is \"unverified\"", warning, StringComparison.Ordinal);
        Assert.Empty(new NodeDaemonOptions().Validate());
    }

    [Fact]
    public void An_allow_list_silences_it() =>
        Assert.Empty(new NodeDaemonOptions { AllowedImages = s_fedora }.Warnings());

    [Fact]
    public void Verified_signatures_silence_it() =>
        Assert.Empty(new NodeDaemonOptions { SignaturePolicy = SignaturePolicy.Verified }.Warnings());
}
