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

        Assert.Equal(taken, SlotRules.TakeoverReason(Lease(0, "b"), holder, s_now, s_handOver) is not null);
    }

    [Theory]
    [InlineData(119, false)]
    [InlineData(120, true)]
    public void A_slot_handed_over_and_not_taken_up_may_be_taken_over_after_the_hand_over_timeout(int secondsAgo, bool taken)
    {
        var lease = Lease(0, "b") with { HandedOverBy = "a", AcquiredAt = s_now.AddSeconds(-secondsAgo) };
        var waiting = new PoolNode("b", "Working", null, D1) { Phase = "WaitingForSlot" };

        var reason = SlotRules.TakeoverReason(lease, waiting, s_now, s_handOver);

        Assert.Equal(taken, reason is not null);
        Assert.True(reason is null || reason.Contains("a handed it to b", StringComparison.Ordinal), reason);
    }

    [Fact]
    public void A_slot_taken_up_is_never_taken_over_for_its_age()
    {
        // The hand-over mark goes when the holder takes the slot up: from then on only the usual rules apply.
        var lease = Lease(0, "b") with { AcquiredAt = s_now.AddDays(-3) };

        Assert.Null(SlotRules.TakeoverReason(lease, new PoolNode("b", "Working", null, D1), s_now, s_handOver));
    }

    [Fact]
    public void The_successor_is_a_waiting_node_and_each_slot_index_picks_at_its_own_place()
    {
        PoolNode[] pool =
        [
            Waiting("c"), Waiting("a"), Waiting("b"),
            new("d", "Working", null, D1) { Phase = "Draining" },
            new("e", "Degraded", null, D1) { Phase = "WaitingForSlot" },
            new("f", "Working", null, null) { Phase = "WaitingForSlot" },   // desires a tag: no digest to name
            Waiting("g") with { Name = "holder" },
        ];

        Assert.Equal("a", SlotRules.Successor(pool, Lease(0, "holder"), haltAfterFailures: 2)?.Name);
        Assert.Equal("b", SlotRules.Successor(pool, Lease(1, "holder"), haltAfterFailures: 2)?.Name);
        Assert.Equal("a", SlotRules.Successor(pool, Lease(3, "holder"), haltAfterFailures: 2)?.Name);
    }

    [Fact]
    public void No_successor_when_none_waits_or_the_pool_is_halted_on_what_they_wait_for()
    {
        PoolNode[] halted = [Waiting("a"), new("e", "Degraded", null, D1)];

        Assert.Null(SlotRules.Successor([new PoolNode("a", "Working", null, D1) { Phase = "Staging" }], Lease(0, "x"), 1));
        Assert.Null(SlotRules.Successor(halted, Lease(0, "x"), haltAfterFailures: 1));
        Assert.Equal("a", SlotRules.Successor(halted, Lease(0, "x"), haltAfterFailures: 2)?.Name);
        Assert.Equal("a", SlotRules.Successor([.. halted, Waiting("z", D2) with { State = "Degraded" }], Lease(0, "x"), haltAfterFailures: 2)?.Name);
    }

    [Fact]
    public void Nodes_asking_at_once_spread_over_the_free_slots_and_take_over_only_without_one()
    {
        SlotCandidate[] free = [new("s0", null, null), new("s1", null, null), new("s2", null, null), new("gone", Lease(3, "x"), "gone")];

        var picks = Enumerable.Range(0, 30).Select(i => SlotRules.Pick(free, $"node-{i}", "42").Name).ToHashSet();

        Assert.Equal(["s0", "s1", "s2"], picks.Order());
        Assert.Equal(SlotRules.Pick(free, "node-1", "42"), SlotRules.Pick(free, "node-1", "42"));
        Assert.Equal("gone", SlotRules.Pick([free[3]], "node-1", "42").Name);
    }

    private static PoolNode Waiting(string name, string digest = D1) => new(name, "Working", null, digest) { Phase = "WaitingForSlot" };

    private static readonly DateTimeOffset s_now = new(2026, 11, 26, 4, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan s_handOver = TimeSpan.FromMinutes(2);

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

    /// <summary>The halt every grant obeys, as a table: the pool's nodes (name:state:desired digest), the asker, the threshold, and the answer.</summary>
    [Theory]
    [InlineData("b:Degraded:1 c:Degraded:1", "a", 2, "b, c")]
    [InlineData("b:Degraded:1 c:Degraded:1", "a", 3, null)]
    [InlineData("b:Degraded:1 c:Degraded:2", "a", 2, null)]
    [InlineData("a:Degraded:1 b:Degraded:1", "a", 2, null)]
    [InlineData("a:Degraded:1 b:Degraded:1", "z", 2, "a, b")]
    [InlineData("b:Working:1 c:Degraded:1", "a", 1, "c")]
    [InlineData("b:Degraded:- c:Done:1", "a", 1, null)]
    [InlineData("", "a", 1, null)]
    public void The_halt_counts_other_nodes_Degraded_on_the_digest_against_the_threshold(string nodes, string self, int haltAfter, string? halted)
    {
        var pool = nodes.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(n => n.Split(':'))
            .Select(p => new PoolNode(p[0], p[1], null, p[2] switch { "1" => D1, "2" => D2, _ => null }));

        var answer = SlotRules.Halt(pool, D1, self, haltAfter);

        Assert.Equal(halted, answer is null ? null : string.Join(", ", answer.DegradedNodes));
        Assert.True(answer is null || answer.DesiredDigest == D1);
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
