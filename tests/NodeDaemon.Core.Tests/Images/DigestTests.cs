using CsCheck;
using NodeDaemon.Core.Images;

namespace NodeDaemon.Core.Tests.Images;

public sealed class DigestTests
{
    private const string Hex = "4d3f08a40f2a4a0a3a3e1c8f0d4c3b2a1908f7e6d5c4b3a29180f7e6d5c4b3a2";

    [Fact]
    public void Parse_valid_digest_exposes_algorithm_and_hex_and_round_trips()
    {
        var digest = Digest.Parse("sha256:" + Hex);

        Assert.Equal("sha256", digest.Algorithm);
        Assert.Equal(Hex, digest.Hex);
        Assert.Equal("sha256:" + Hex, digest.ToString());
        Assert.Equal(digest, Digest.Parse(digest.ToString()));
    }

    [Theory]
    [InlineData(null, "digest is null")]
    [InlineData("", "digest is empty")]
    [InlineData(Hex, "digest has no algorithm")]
    [InlineData(":" + Hex, "digest algorithm is empty")]
    [InlineData("sha512:" + Hex, "unsupported digest algorithm \"sha512\"; only sha256 is supported")]
    [InlineData("SHA256:" + Hex, "unsupported digest algorithm \"SHA256\"")]
    [InlineData("sha256:4D3f08a40f2a4a0a3a3e1c8f0d4c3b2a1908f7e6d5c4b3a29180f7e6d5c4b3a2", "digest hex must be lowercase: 'D' at index 8")]
    [InlineData("sha256:" + Hex + "0", "digest hex is 65 characters long; 64 expected")]
    [InlineData("sha256:abc", "digest hex is 3 characters long; 64 expected")]
    [InlineData("sha256:", "digest hex is 0 characters long; 64 expected")]
    [InlineData("sha256:g" + "0000000000000000000000000000000000000000000000000000000000000000", "non-hex character 'g' at index 7")]
    [InlineData("sha256:" + Hex + ":", "non-hex character ':' at index 71")]
    [InlineData(" sha256:" + Hex, "leading whitespace \\u0020 at index 0")]
    [InlineData("sha256:" + Hex + "\n", "trailing whitespace \\u000a at index 71")]
    [InlineData("sha256:\0" + Hex, "control character \\u0000 at index 7")]
    public void TryParse_rejects_with_a_precise_message(string? text, string fragment)
    {
        Assert.False(Digest.TryParse(text, out var digest, out var error));
        Assert.Equal(default, digest);
        Assert.Contains(fragment, error, StringComparison.Ordinal);
        if (text is not null)
        {
            var thrown = Assert.Throws<ImageReferenceException>(() => Digest.Parse(text));
            Assert.Equal(error, thrown.Message);
        }
    }

    [Fact]
    public void Default_digest_is_empty_and_differs_from_any_parsed_one()
    {
        Assert.Equal(string.Empty, default(Digest).Hex);
        Assert.Equal(string.Empty, default(Digest).Algorithm);
        Assert.NotEqual(default, Digest.Parse("sha256:" + Hex));
    }

    [Fact]
    public void Random_lowercase_hex_of_length_64_always_parses_and_round_trips()
    {
        ImageGenerators.DigestHex.Sample(hex =>
        {
            Assert.True(Digest.TryParse("sha256:" + hex, out var digest, out var error), error);
            Assert.Equal(hex, digest.Hex);
            Assert.Equal("sha256:" + hex, digest.ToString());
        }, iter: 2000);
    }

    [Fact]
    public void Any_uppercase_hex_letter_is_rejected_as_not_lowercase()
    {
        Gen.Select(ImageGenerators.DigestHex, Gen.Int[0, 63], Gen.Char["ABCDEF"]).Sample((hex, index, upper) =>
        {
            var text = "sha256:" + hex[..index] + upper + hex[(index + 1)..];
            Assert.False(Digest.TryParse(text, out _, out var error));
            Assert.Contains("digest hex must be lowercase", error, StringComparison.Ordinal);
            Assert.Contains($"index {7 + index}", error, StringComparison.Ordinal);
        }, iter: 2000);
    }

    [Fact]
    public void Any_hex_length_other_than_64_is_rejected_with_the_length_found()
    {
        Gen.Char["0123456789abcdef"].Array[0, 200].Where(chars => chars.Length != 64).Sample(chars =>
        {
            Assert.False(Digest.TryParse("sha256:" + new string(chars), out _, out var error));
            Assert.Contains($"digest hex is {chars.Length} characters long; 64 expected", error, StringComparison.Ordinal);
        }, iter: 2000);
    }
}
