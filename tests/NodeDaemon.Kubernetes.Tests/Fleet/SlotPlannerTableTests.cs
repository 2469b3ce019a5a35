using NodeDaemon.Core.Fleet;
using NodeDaemon.Core.Options;
using NodeDaemon.Kubernetes.Api;
using NodeDaemon.Kubernetes.Fleet;

namespace NodeDaemon.Kubernetes.Tests.Fleet;

/// <summary>
/// The acquire protocol as a table: a state (what the request has read so far, in the orders the race tests make the
/// API server answer in), the options, and the step the planner must choose next. Each row fails when its rule breaks.
/// </summary>
public sealed class SlotPlannerTableTests
{
    private const string D1 = SlotWorld.D1;
    private const string D2 = SlotWorld.D2;
    private static readonly DateTimeOffset s_now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>One row: its name (the rule), the options, the state, and the step expected, described.</summary>
    private sealed record Row(string Name, LeaseSlotClientOptions Options, Func<SlotPlanState> State, string Expected);

    public static TheoryData<string> Names => [.. s_rows.Select(r => r.Name)];

    private static readonly Row[] s_rows =
    [
        // Our own slot first.
        new Row("a known Lease handed to us is taken up before any list, uncounted", Options(), () => Start() with { Known = Lease(0, "a", handedBy: "b") },
            "take up nodedaemon-p-0 (uncounted)"),
        new Row("a known Lease on our digest is confirmed by a list, not a write", Options(), () => Start() with { Known = Lease(0, "a") }, "list leases"),
        new Row("a known Lease on another digest is written before any list", Options(), () => Start() with { Known = Lease(0, "a", D2) },
            "take up nodedaemon-p-0 (uncounted)"),
        new Row("a lost take-up of a known Lease lists and does not count as a lost race", Options(attempts: 1),
            () => Lost(Start() with { Known = Lease(0, "a", handedBy: "b") }, new SlotStep.TakeUp(Lease(0, "a", handedBy: "b"), false)), "list leases"),
        new Row("our listed Lease on our digest is Held without a write", Options(), () => Listed(Start(), Lease(0, "a")), "held nodedaemon-p-0"),
        new Row("our listed Lease on another digest is written, counted", Options(), () => Listed(Start(), Lease(0, "a", D2)), "take up nodedaemon-p-0"),
        new Row("our listed Lease handed to us is taken up", Options(), () => Listed(Start(), Lease(1, "a", handedBy: "b")), "take up nodedaemon-p-1"),

        // The cheap answers, without a list of every node.
        new Row("every slot held by our recent count: Full without reading the pool", Options("50%"),
            () => Listed(Start(), new PoolCount("p", 1, s_now.AddSeconds(-59)), Lease(0, "b")), "full: b (1 slots)"),
        new Row("a count of another pool is not ours", Options("50%"),
            () => Listed(Start(), new PoolCount("q", 1, s_now.AddSeconds(-1)), Lease(0, "b")), "read pool"),
        new Row("a count as old as the recheck, with a holder silent for the lease duration, reads the pool", Options("50%"),
            () => Listed(Start(), new PoolCount("p", 1, s_now.AddMinutes(-1)), Lease(0, "b", slots: 1, renewedAgo: TimeSpan.FromMinutes(5))), "read pool"),
        new Row("an old count with no suspect holder: the count on the Lease answers Full", Options("50%"),
            () => Listed(Start(), new PoolCount("p", 5, s_now.AddMinutes(-2)), Lease(0, "b", slots: 1, renewedAgo: TimeSpan.FromMinutes(4))), "full: b (1 slots)"),
        new Row("the count a holder wrote on its fresh Lease answers Full for a node that never read the pool", Options("50%"),
            () => Listed(Start(), Lease(0, "b", slots: 1, renewedAgo: TimeSpan.FromSeconds(10))), "full: b (1 slots)"),
        new Row("a fixed count with every slot held and no suspect holder answers Full", Options("1"), () => Listed(Start(), Lease(0, "b")), "full: b (1 slots)"),
        new Row("no recheck: every request reads the pool", Options("1", recheck: TimeSpan.Zero), () => Listed(Start(), Lease(0, "b")), "read pool"),

        // A free slot with a known count: only the Degraded nodes are read for the halt.
        new Row("a free slot with a fixed count reads only the Degraded nodes", Options("1"), () => Listed(Start()), "read degraded"),
        new Row("Degraded nodes at the threshold halt the pool", Options("1"),
            () => Listed(Start()) with { Degraded = [Degraded("c"), Degraded("d"), Degraded("e")] }, "halted: c, d, e (0 slots)"),
        new Row("the asking node does not count itself among the Degraded", Options("1"),
            () => Listed(Start()) with { Degraded = [Degraded("a"), Degraded("d"), Degraded("e")] }, "take nodedaemon-p-0 (1 slots)"),
        new Row("Degraded on another digest does not count", Options("1"),
            () => Listed(Start()) with { Degraded = [Degraded("c", D2), Degraded("d"), Degraded("e")] }, "take nodedaemon-p-0 (1 slots)"),
        new Row("a percentage without a recent count reads the whole pool", Options("50%"), () => Listed(Start()), "read pool"),

        // RaceTests.A_request_that_read_the_Degraded_nodes_reads_the_Leases_again_before_it_writes.
        new Row("after the Degraded read the Leases are listed again before any write", Options("1"),
            () => Listed(Start()).DegradedRead([Degraded("c")]), "list leases"),
        new Row("Degraded nodes read at the threshold answer Halted without another list", Options("1"),
            () => Listed(Start()).DegradedRead([Degraded("c"), Degraded("d"), Degraded("e")]), "halted: c, d, e (0 slots)"),
        new Row("after the Degraded read and the list again, a free slot is taken", Options("1"),
            () => Listed(Listed(Start()).DegradedRead([Degraded("c")])), "take nodedaemon-p-0 (1 slots)"),

        // RaceTests.A_request_that_read_the_pool_reads_the_Leases_again_before_it_writes: node-b takes the slot while we read the pool.
        new Row("after the pool read the Leases are listed again before any write", Options(recheck: TimeSpan.Zero),
            () => Listed(Start()).PoolRead(Pool("a", "b", "c", "d")), "list leases"),
        new Row("a slot taken while the pool was read makes the request Full", Options(recheck: TimeSpan.Zero),
            () => Listed(Listed(Start()).PoolRead(Pool("a", "b", "c", "d")), Lease(0, "b")), "full: b (1 slots), counted 1"),
        new Row("the pool's halt is checked on the pool read", Options(recheck: TimeSpan.Zero),
            () => Listed(Listed(Start()).PoolRead(Pool(["a", "b", "c", "d"], Degraded("b"), Degraded("c"), Degraded("d")))),
            "halted: b, c, d (0 slots)"),
        new Row("the asking node counts though it no longer carries the label", Options("50%", recheck: TimeSpan.Zero),
            () => Listed(Listed(Start()).PoolRead(Pool("b", "c", "d")), Lease(0, "b")), "take nodedaemon-p-1 (2 slots), counted 2"),

        // RaceTests.A_create_that_loses_with_AlreadyExists_reads_again_and_takes_the_next_slot.
        new Row("a lost create reads the Leases again, not the pool", Options("2", recheck: TimeSpan.Zero),
            () => Lost(Listed(Listed(Start()).PoolRead(Pool("a", "b", "c", "d")))), "list leases"),
        new Row("after the lost create the next free slot is taken", Options("2", recheck: TimeSpan.Zero),
            () => Listed(Lost(Listed(Listed(Start()).PoolRead(Pool("a", "b", "c", "d")))), Lease(0, "b")), "take nodedaemon-p-1 (2 slots), counted 2"),

        // RaceTests.A_put_on_a_free_lease_that_loses_with_Conflict_reads_again_and_waits_when_full.
        new Row("a PUT on a free Lease lost to another answers Full at the next list", Options(recheck: TimeSpan.Zero),
            () => Listed(Lost(Listed(Listed(Start(), Lease(0, "")).PoolRead(Pool("a", "b", "c")), Lease(0, ""))), Lease(0, "b", version: "2")),
            "full: b (1 slots), counted 1"),

        // RaceTests.A_takeover_that_loses_to_another_takeover_does_not_take_a_second_slot.
        new Row("a holder outside the pool list is read by name", Options(recheck: TimeSpan.Zero),
            () => Listed(Listed(Start(), Lease(0, "gone")).PoolRead(Pool("a", "b", "c")), Lease(0, "gone")), "read holders gone, counted 1"),
        new Row("a holder that is gone is taken over", Options(recheck: TimeSpan.Zero),
            () => Listed(Listed(Start(), Lease(0, "gone")).PoolRead(Pool("a", "b", "c")), Lease(0, "gone")).HoldersRead(new Dictionary<string, PoolNode?> { ["gone"] = null }),
            "take nodedaemon-p-0 (1 slots) over from gone, counted 1"),
        new Row("a holder outside the pool that still exists keeps its slot", Options(recheck: TimeSpan.Zero),
            () => Listed(Listed(Start(), Lease(0, "moved")).PoolRead(Pool("a", "b", "c")), Lease(0, "moved"))
                .HoldersRead(new Dictionary<string, PoolNode?> { ["moved"] = Node("moved") }), "full: moved (1 slots), counted 1"),
        new Row("a takeover lost to another takeover does not take a second slot", Options(recheck: TimeSpan.Zero),
            () => Listed(Lost(Listed(Listed(Start(), Lease(0, "gone")).PoolRead(Pool("a", "b", "c")), Lease(0, "gone"))
                .HoldersRead(new Dictionary<string, PoolNode?> { ["gone"] = null })), Lease(0, "c", version: "2")),
            "full: c (1 slots), counted 1"),

        // TakeoverTests.A_holder_renewing_for_a_new_digest_while_the_pool_is_read_is_not_taken_over, and the one beating our write.
        new Row("a holder Done on its Lease's digest, on a Lease unchanged since the pool read, is taken over", Options(recheck: TimeSpan.Zero),
            () => Listed(Listed(Start(), Lease(0, "b")).PoolRead(Pool(["a", "b", "c"], Node("b", "Done", D1, D1))), Lease(0, "b")),
            "take nodedaemon-p-0 (1 slots) over from b, counted 1"),
        new Row("a holder that wrote its Lease after our read of its node is not taken over", Options(recheck: TimeSpan.Zero),
            () => Listed(Listed(Start(), Lease(0, "b")).PoolRead(Pool(["a", "b", "c"], Node("b", "Done", D1, D1))), Lease(0, "b", version: "2")),
            "full: b (1 slots), counted 1"),
        new Row("a holder's renewal that beat our takeover write is not taken over at the next list", Options(recheck: TimeSpan.Zero),
            () => Listed(Lost(Listed(Listed(Start(), Lease(0, "b")).PoolRead(Pool(["a", "b", "c"], Node("b", "Done", D1, D1))), Lease(0, "b"))),
                Lease(0, "b", D2, version: "2")),
            "full: b (1 slots), counted 1"),

        // HaltTests.A_node_Degraded_between_the_halt_read_and_the_take_*: every grant is checked again after its write.
        new Row("a take that won reads the Degraded nodes again before it answers", Options("1"),
            () => (Listed(Start()) with { Degraded = [] }).Won(new SlotAnswer.Acquired("nodedaemon-p-0")), "recheck halt"),
        new Row("a take-up of a slot handed to us reads the Degraded nodes again before it answers", Options("1"),
            () => Start().Won(new SlotAnswer.Acquired("nodedaemon-p-0", HandedOverBy: "b")), "recheck halt"),
        new Row("a grant below the threshold after its write is kept", Options("1"),
            () => Start().Won(new SlotAnswer.Acquired("nodedaemon-p-0")).Rechecked([Degraded("c"), Degraded("d"), Degraded("e", D2)]),
            "acquired nodedaemon-p-0"),
        new Row("a grant at the threshold after its write is given back, halted", Options("1"),
            () => Start().Won(new SlotAnswer.Acquired("nodedaemon-p-0")).Rechecked([Degraded("c"), Degraded("d"), Degraded("e")]),
            "give back: c, d, e"),
        new Row("a grant's own Degraded mark does not count in the check after it", Options("1"),
            () => Start().Won(new SlotAnswer.Acquired("nodedaemon-p-0")).Rechecked([Degraded("a"), Degraded("d"), Degraded("e")]),
            "acquired nodedaemon-p-0"),

        // ContentionTests: the slots keep changing hands.
        new Row("every race lost: Full with the holders and count of the last pool read", Options("2", recheck: TimeSpan.Zero, attempts: 1),
            () => Lost(Listed(Listed(Start()).PoolRead(Pool("a", "b", "c")), Lease(0, "b"))), "full: b (2 slots)"),
        new Row("a race lost before the last attempt reads again", Options("2", recheck: TimeSpan.Zero, attempts: 2),
            () => Lost(Listed(Listed(Start()).PoolRead(Pool("a", "b", "c")), Lease(0, "b"))), "list leases"),
    ];

    [Theory]
    [MemberData(nameof(Names))]
    public void The_planner_chooses_the_next_step(string name)
    {
        var row = s_rows.Single(r => r.Name == name);
        var step = SlotPlanner.Next(row.State(), new SlotPlanContext(s_now, row.Options));

        Assert.Equal(row.Expected, Describe(step));
    }

    private static SlotPlanState Start() => new("a", "p", D1);

    private static SlotPlanState Listed(SlotPlanState state, params SlotLease[] leases) => state.Listed(leases, "7", null);

    private static SlotPlanState Listed(SlotPlanState state, PoolCount count, params SlotLease[] leases) => state.Listed(leases, "7", count);

    /// <summary>The state after the step planned from <paramref name="state"/> lost its race (the step must be a write).</summary>
    private static SlotPlanState Lost(SlotPlanState state)
    {
        var step = SlotPlanner.Next(state, new SlotPlanContext(s_now, Options("2", recheck: TimeSpan.Zero)));
        Assert.True(step is SlotStep.Take or SlotStep.TakeUp, $"not a write: {Describe(step)}");
        return state.RaceLost(step);
    }

    private static SlotPlanState Lost(SlotPlanState state, SlotStep step) => state.RaceLost(step);

    private static SlotLease Lease(int index, string holder, string digest = D1, string version = "1", string? handedBy = null, int? slots = null,
        TimeSpan? renewedAgo = null) =>
        new(SlotLeaseNames.For("p", index), index, version, holder, holder.Length > 0 ? digest : null, [])
        {
            HandedOverBy = handedBy,
            Slots = slots,
            RenewedAt = s_now - (renewedAgo ?? TimeSpan.FromSeconds(1)),
            AcquiredAt = s_now - (renewedAgo ?? TimeSpan.FromSeconds(1)),
        };

    private static PoolNode Node(string name, string state = "Working", string? current = null, string? desired = D1) => new(name, state, current, desired);

    private static PoolNode Degraded(string name, string digest = D1) => Node(name, "Degraded", null, digest);

    private static Dictionary<string, PoolNode> Pool(params string[] names) => Pool(names, []);

    /// <summary>Working nodes named <paramref name="names"/>, with <paramref name="set"/> in place of those of the same names.</summary>
    private static Dictionary<string, PoolNode> Pool(string[] names, params PoolNode[] set)
    {
        var pool = names.ToDictionary(n => n, n => Node(n), StringComparer.Ordinal);
        foreach (var node in set)
        {
            pool[node.Name] = node;
        }

        return pool;
    }

    private static LeaseSlotClientOptions Options(string maxUnavailable = "1", TimeSpan? recheck = null, int attempts = 5) => new()
    {
        Fleet = new FleetOptions { MaxUnavailable = maxUnavailable, HaltAfterFailures = 3 },
        Transport = new ApiTransportOptions { WriteAttempts = attempts },
        PoolRecheck = recheck ?? TimeSpan.FromMinutes(1),
        LeaseDuration = TimeSpan.FromMinutes(5),
        HandOverTimeout = TimeSpan.FromMinutes(2),
    };

    private static string Describe(SlotStep step)
    {
        var what = step switch
        {
            SlotStep.ListLeases => "list leases",
            SlotStep.ReadPool => "read pool",
            SlotStep.ReadDegraded => "read degraded",
            SlotStep.ReadHolders read => $"read holders {string.Join(", ", read.Names)}",
            SlotStep.TakeUp up => $"take up {up.Lease.Name}{(up.CountsAsLost ? "" : " (uncounted)")}",
            SlotStep.Take take => $"take {take.Candidate.Name} ({take.Slots} slots)"
                + (take.Candidate.TakeoverReason is null ? "" : $" over from {take.Candidate.Existing!.Holder}"),
            SlotStep.RecheckHalt => "recheck halt",
            SlotStep.GiveBack back => $"give back: {string.Join(", ", back.Reply.DegradedNodes)}",
            SlotStep.Answer { Reply: SlotAnswer.Acquired acquired } => $"acquired {acquired.Slot}",
            SlotStep.Answer { Reply: SlotAnswer.Held held } => $"held {held.Slot}",
            SlotStep.Answer { Reply: SlotAnswer.Full full } answer => $"full: {string.Join(", ", full.Holders)} ({answer.Slots} slots)",
            SlotStep.Answer { Reply: SlotAnswer.Halted halted } answer => $"halted: {string.Join(", ", halted.DegradedNodes)} ({answer.Slots} slots)",
            _ => step.ToString(),
        };
        return step.Counted is { } counted ? $"{what}, counted {counted}" : what;
    }
}
