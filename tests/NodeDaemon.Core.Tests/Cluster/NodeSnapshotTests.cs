using NodeDaemon.Core.Cluster;
using NodeDaemon.Core.Options;

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

    [Theory]
    // The protocol picks the keys, the prefix applies to the daemon's own; the pool is read only with fleet coordination on.
    [InlineData(AnnotationProtocol.NodeDaemon, "nodedaemon.io/", true, "img-nd", "workers")]
    [InlineData(AnnotationProtocol.NodeDaemon, "nodedaemon.io/", false, "img-nd", null)]
    [InlineData(AnnotationProtocol.NodeDaemon, "example.com/", true, "img-ex", "workers")]
    [InlineData(AnnotationProtocol.MachineConfigOperator, "nodedaemon.io/", true, "img-mco", "workers")]
    [InlineData(AnnotationProtocol.MachineConfigOperator, "nodedaemon.io/", false, "img-mco", null)]
    public void The_view_for_the_options_reads_their_protocols_keys_and_the_pool_only_with_the_fleet_on(
        AnnotationProtocol protocol, string prefix, bool fleet, string desired, string? pool)
    {
        var node = new NodeSnapshot("node-a", "uid-a", "1", false,
            new Dictionary<string, string>
            {
                ["nodedaemon.io/desired-image"] = "img-nd",
                ["example.com/desired-image"] = "img-ex",
                ["machineconfiguration.openshift.io/desiredImage"] = "img-mco",
            },
            new Dictionary<string, string> { ["pool"] = "workers" });
        var options = new NodeDaemonOptions
        {
            NodeName = "node-a",
            Protocol = protocol,
            AnnotationPrefix = prefix,
            Fleet = new FleetOptions { Enabled = fleet, PoolLabel = "pool" },
        };

        var view = node.ToView(options);

        Assert.Equal((desired, pool), (view.DesiredImage, view.Pool));
    }

    private static NodeSnapshot Node(string resourceVersion) =>
        new("node-a", "uid-a", resourceVersion, false, new Dictionary<string, string>(), new Dictionary<string, string>());
}
