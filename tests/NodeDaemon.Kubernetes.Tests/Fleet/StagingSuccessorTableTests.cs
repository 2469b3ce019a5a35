using System.Text.Json.Nodes;
using NodeDaemon.Kubernetes.Fleet;

namespace NodeDaemon.Kubernetes.Tests.Fleet;

/// <summary>Which node a holder done pulling hands its staging slot to (<see cref="StagingPlanner.Successor"/>), as a table.</summary>
public sealed class StagingSuccessorTableTests
{
    private const string Old = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
    private const string New = "sha256:2222222222222222222222222222222222222222222222222222222222222222";
    private static readonly DateTimeOffset s_now = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);

    private static StagingLease Lease(int index, string holder) =>
        new(StagingLeaseNames.For("workers", index), index, "7", holder, s_now, TimeSpan.FromMinutes(2), new JsonObject());

    private static PoolNode Node(string name, string phase, string state = "Working", string? current = Old, string? desired = New) =>
        new(name, state, current, desired) { Phase = phase };

    /// <summary>One row: the pool, the staging Leases listed (the giver's is index 0, or <see cref="Row.Index"/>), the limit, the
    /// successor expected, and who last gave back each of the other Leases (in order, empty for nobody; more than
    /// <see cref="Row.OtherHolders"/> adds free Leases).</summary>
    private sealed record Row(string Name, PoolNode[] Pool, string[] OtherHolders, int Slots, string? Expected, int Index = 0, string[]? GivenBackBy = null)
    {
        public override string ToString() => Name;
    }

    private static readonly Row[] s_rows =
    [
        new("nobody waits: free it", [Node("giver", "Staged"), Node("b", "Staged"), Node("c", "", "Done", New, New)], [], 2, null),
        new("a node waiting in Staging gets it", [Node("giver", "Staged"), Node("b", "Staging")], [], 2, "b"),
        new("a node not decided yet (Idle, or no phase) needs a pull too", [Node("giver", "Staged"), Node("b", "Idle"), Node("c", "")], [], 1, "b"),
        new("name order: the first waiter", [Node("d", "Staging"), Node("c", "Staging"), Node("giver", "Staged")], [], 1, "c"),
        new("a node another staging Lease names (pulling, or handed one) is skipped", [Node("b", "Staging"), Node("c", "Staging")], ["b"], 2, "c"),
        new("the giver itself is never its own successor", [Node("giver", "Staging")], [], 2, null),
        new("past the pull (Staged, WaitingForSlot, Draining, Rebooting, Verifying): skipped",
            [Node("b", "Staged"), Node("c", "WaitingForSlot"), Node("d", "Draining"), Node("e", "Rebooting"), Node("f", "Verifying"), Node("g", "Staging")], [], 2, "g"),
        new("a Degraded node is skipped", [Node("b", "Staging", "Degraded"), Node("c", "Staging")], [], 2, "c"),
        new("already on its desired image: skipped", [Node("b", "Staging", current: New), Node("c", "Staging")], [], 2, "c"),
        new("no desired digest (none, or a tag): skipped", [Node("b", "Staging", desired: null), Node("c", "Staging")], [], 2, "c"),
        new("slot 1 takes the second of the first two waiters", [Node("b", "Staging"), Node("c", "Staging"), Node("d", "Staging")], [], 2, "c", Index: 1),
        new("slot 3 of 2 slots wraps among the first two, never past them", [Node("b", "Staging"), Node("c", "Staging"), Node("d", "Staging")], [], 2, "c", Index: 3),
        new("fewer waiters than slots: the index wraps among them", [Node("b", "Staging"), Node("c", "Staging")], [], 4, "b", Index: 2),
        new("a node that gave a slot back (pulled, Staged not reported yet) is skipped",
            [Node("b", "Staging"), Node("c", "Staging")], [""], 2, "c", GivenBackBy: ["b"]),
        new("the same with the slot it gave back taken up by another since",
            [Node("b", "Staging"), Node("c", "Staging"), Node("d", "Staging")], ["d"], 2, "c", GivenBackBy: ["b"]),
        new("only the node named: a waiter another slot was given back by is not it",
            [Node("b", "Staging"), Node("c", "Staging")], [""], 2, "b", GivenBackBy: ["x"]),
    ];

    public static TheoryData<string> Rows => new(s_rows.Select(r => r.Name));

    [Theory]
    [MemberData(nameof(Rows))]
    public void Chooses(string name)
    {
        var row = s_rows.Single(r => r.Name == name);
        var giving = Lease(row.Index, "giver");
        var givenBack = row.GivenBackBy ?? [];
        var leases = Enumerable.Range(0, Math.Max(row.OtherHolders.Length, givenBack.Length))
            .Select(i => Lease(row.Index + 1 + i, i < row.OtherHolders.Length ? row.OtherHolders[i] : "") with { GivenBackBy = i < givenBack.Length ? givenBack[i] : "" })
            .Prepend(giving).ToList();

        var next = StagingPlanner.Successor(row.Pool, leases, giving, row.Slots);

        Assert.Equal(row.Expected, next?.Name);
    }

    [Fact]
    public void Holders_finishing_together_hand_to_different_nodes()
    {
        var pool = Enumerable.Range(0, 10).Select(i => Node($"n{i}", "Staging")).ToList();
        var leases = Enumerable.Range(0, 4).Select(i => Lease(i, $"giver{i}")).ToList();

        var successors = leases.Select(l => StagingPlanner.Successor(pool, leases, l, slots: 4)!.Name).ToList();

        Assert.Equal(["n0", "n1", "n2", "n3"], successors);
    }
}
