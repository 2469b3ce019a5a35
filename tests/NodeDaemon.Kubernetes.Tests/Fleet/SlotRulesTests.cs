using System.Text.Json.Nodes;
using NodeDaemon.Kubernetes.Fleet;

namespace NodeDaemon.Kubernetes.Tests.Fleet;

public sealed class SlotRulesTests
{
    private const string D1 = SlotWorld.D1;
    private const string D2 = SlotWorld.D2;

    private static SlotLease Lease(int index, string holder, string? digest = D1) =>
        new(SlotLeaseNames.For("p", index), index, "1", holder, digest, []);

    private static Dictionary<string, string> None => [];

    [Theory]
    [InlineData(null, null, null, true)]          // the node is gone
    [InlineData("Done", D1, D1, true)]
    [InlineData("Done", D1, null, true)]           // desired removed after it finished
    [InlineData("Done", D1, D2, false)]
    [InlineData("Done", D2, D1, false)]
    [InlineData("Working", D1, D1, false)]
    [InlineData("Degraded", D1, D1, false)]
    [InlineData("", null, null, false)]
    public void Takeover_only_when_the_holder_is_gone_or_done_with_the_slots_digest(string? state, string? current, string? desired, bool taken)
    {
        var holder = state is null ? null : new PoolNode("b", state, current, desired);

        Assert.Equal(taken, SlotRules.TakeoverReason(Lease(0, "b"), holder) is not null);
    }

    [Fact]
    public void Free_slots_come_before_takeovers_and_only_indexes_below_the_count()
    {
        var leases = new[] { Lease(0, "gone"), Lease(1, ""), Lease(3, "c") };
        var takeovers = new Dictionary<string, string> { [leases[0].Name] = "gone" };

        var candidates = SlotRules.Candidates("p", 3, leases, takeovers);

        Assert.Equal(["nodedaemon-p-1", "nodedaemon-p-2", "nodedaemon-p-0"], candidates.Select(c => c.Name));
        Assert.Null(candidates[1].Existing);
        Assert.Equal("gone", candidates[2].TakeoverReason);
    }

    [Fact]
    public void Held_slots_count_whatever_their_index()
    {
        Assert.Empty(SlotRules.Candidates("p", 2, [Lease(0, "a"), Lease(5, "b")], None));
        Assert.Equal(["nodedaemon-p-0", "nodedaemon-p-1"], SlotRules.Candidates("p", 2, [Lease(0, ""), Lease(5, "b")], None).Select(c => c.Name));
    }

    [Fact]
    public void Degraded_counts_other_nodes_on_the_same_desired_digest()
    {
        PoolNode[] pool =
        [
            new("a", "Degraded", null, D1), new("b", "Degraded", null, D1), new("c", "Degraded", null, D2),
            new("d", "Working", null, D1), new("e", "Degraded", null, null),
        ];

        Assert.Equal(["b"], SlotRules.DegradedOn(pool, D1, "a"));
        Assert.Equal(["a", "b"], SlotRules.DegradedOn(pool, D1, "z"));
    }

    [Theory]
    [InlineData("quay.io/example/os@" + D1, D1)]
    [InlineData("@" + D1, D1)]
    [InlineData("registry.local:5000/os:4.18@" + D1, D1)]
    [InlineData("quay.io/example/os:latest", null)]
    [InlineData("quay.io/example/os@sha256:ABC", null)]
    [InlineData("", null)]
    public void Digests_are_read_after_the_last_at(string pullspec, string? digest) =>
        Assert.Equal(digest, PoolNode.DigestOf(pullspec));

    [Fact]
    public void Node_annotations_are_read_with_the_protocol_keys()
    {
        var keys = Core.Cluster.AnnotationKeys.For(Core.Options.AnnotationProtocol.MachineConfigOperator, "nodedaemon.io/");
        var node = JsonNode.Parse($$"""
            {"metadata":{"name":"b","annotations":{
              "machineconfiguration.openshift.io/state":"Done",
              "machineconfiguration.openshift.io/currentImage":"quay.io/x@{{D1}}",
              "machineconfiguration.openshift.io/desiredImage":"quay.io/x@{{D2}}",
              "nodedaemon.io/state":"Working"} } }
            """)!;

        Assert.Equal(new PoolNode("b", "Done", D1, D2), PoolNode.Read(node, keys));
    }
}
