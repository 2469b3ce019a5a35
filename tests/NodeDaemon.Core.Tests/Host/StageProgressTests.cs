using NodeDaemon.Core.Host;

namespace NodeDaemon.Core.Tests.Host;

/// <summary>The progress line written to the node's message annotation.</summary>
public sealed class StageProgressTests
{
    [Theory]
    [InlineData("Fetching ostree chunk sha256:abc", null, null, null, null, "Fetching ostree chunk sha256:abc")]
    [InlineData("x", 3, 7, 412_000_000L, 1_200_000_000L, "pulling 3/7 layers, 412 MB/1.2 GB")]
    [InlineData("x", 0, 7, null, null, "pulling 0/7 layers")]
    [InlineData("x", 1, 2, 900L, 4_500L, "pulling 1/2 layers, 900 B/4 kB")]
    [InlineData("Staging deployment", 0, 0, null, null, "Staging deployment")]
    public void Describes_layers_and_bytes(string text, int? done, int? total, long? bytes, long? allBytes, string expected)
    {
        Assert.Equal(expected, new StageProgress(text, done, total, bytes, allBytes).Describe());
    }
}
