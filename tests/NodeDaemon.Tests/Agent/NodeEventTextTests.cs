using NodeDaemon.Agent;

namespace NodeDaemon.Tests.Agent;

/// <summary>The Staged and Rebooting Events carry the pull's and the drain's lengths (no Staging or Draining Event to time them from).</summary>
public sealed class NodeEventTextTests
{
    private const string Digest = "sha256:2222222222222222222222222222222222222222222222222222222222222222";

    [Theory]
    [InlineData(0.0, "staged quay.io/os@" + Digest + " (" + Digest + ") in 0 s")]
    [InlineData(41.5, "staged quay.io/os@" + Digest + " (" + Digest + ") in 42 s")]
    [InlineData(-3.0, "staged quay.io/os@" + Digest + " (" + Digest + ") in 0 s")]
    public void Staged_says_what_and_how_long(double seconds, string expected) =>
        Assert.Equal(expected, NodeEventText.Staged("quay.io/os@" + Digest, Digest, TimeSpan.FromSeconds(seconds)));

    [Theory]
    [InlineData(3, 3, 12.2, "drained: 3/3 pods evicted in 12 s")]
    [InlineData(0, 0, 0.4, "drained: 0/0 pods evicted in 0 s")]
    [InlineData(2, 5, 600.0, "drained: 2/5 pods evicted in 600 s")]
    public void Drained_says_how_many_and_how_long(int evicted, int total, double seconds, string expected) =>
        Assert.Equal(expected, NodeEventText.Drained(evicted, total, TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void A_drain_of_unknown_length_says_only_how_many() =>
        Assert.Equal("drained: 1/2 pods evicted", NodeEventText.Drained(1, 2, TimeSpan.MaxValue));
}
