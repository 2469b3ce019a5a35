using NodeDaemon.Core.Cluster;

namespace NodeDaemon.Core.Tests.Cluster;

/// <summary>Which of two versions of the node is older (Kubernetes' rule, "unknown" for anything else), and whose cordon it is.</summary>
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

    [Theory]
    // kubectl uncordon patches spec.unschedulable alone (kubectl pkg/drain/cordon.go): our mark outlives our cordon.
    [InlineData(true, true, true, false)]
    [InlineData(false, true, false, true)]
    [InlineData(true, false, false, false)]
    [InlineData(false, false, false, false)]
    public void A_cordon_is_ours_only_while_unschedulable_and_marked_and_a_mark_alone_is_stale(bool unschedulable, bool marked, bool ours, bool stale)
    {
        var annotations = new Dictionary<string, string>();
        if (marked)
        {
            annotations["nodedaemon.io/cordoned-by"] = "nodedaemon";
        }

        var view = new NodeSnapshot("node-a", "uid-a", "1", unschedulable, annotations, new Dictionary<string, string>())
            .ToView(AnnotationKeys.For(NodeDaemon.Core.Options.AnnotationProtocol.NodeDaemon, "nodedaemon.io/"));

        Assert.Equal((ours, stale, unschedulable), (view.CordonedByUs, view.StaleMark, view.Unschedulable));
    }

    private static NodeSnapshot Node(string resourceVersion) =>
        new("node-a", "uid-a", resourceVersion, false, new Dictionary<string, string>(), new Dictionary<string, string>());
}
