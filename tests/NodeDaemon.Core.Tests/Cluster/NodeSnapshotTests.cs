using NodeDaemon.Core.Cluster;

namespace NodeDaemon.Core.Tests.Cluster;

/// <summary>Which of two versions of the node is older: Kubernetes' comparison rule, and "unknown" for anything else.</summary>
public sealed class NodeSnapshotTests
{
    [Theory]
    [InlineData("9", "10", true)]
    [InlineData("10", "9", false)]
    [InlineData("123", "124", true)]
    [InlineData("124", "124", false)]
    [InlineData("99999999999999999999998", "99999999999999999999999", true)]
    // Not comparable (KEP-5504: a positive integer without leading zeros): never known to be older.
    [InlineData("09", "10", false)]
    [InlineData("0", "10", false)]
    [InlineData("", "10", false)]
    [InlineData("abc", "10", false)]
    [InlineData("9", "1a", false)]
    public void A_version_is_older_only_when_both_are_comparable(string mine, string theirs, bool older)
    {
        Assert.Equal(older, Node(mine).IsOlderThan(Node(theirs)));
    }

    private static NodeSnapshot Node(string resourceVersion) =>
        new("node-a", "uid-a", resourceVersion, false, new Dictionary<string, string>(), new Dictionary<string, string>());
}
