using System.Text.Json.Nodes;
using NodeDaemon.Cli.Rollout;
using static NodeDaemon.Tests.Cli.Rollout.RolloutViewBuilderTests;

namespace NodeDaemon.Tests.Cli.Rollout;

/// <summary><c>rollout explain</c>'s rules as a table: the pool's Nodes and Leases in, the reasons for node "n" out.</summary>
public sealed class RolloutExplainerTests
{
    public static TheoryData<string, JsonObject[], JsonObject[], string> Cases => new()
    {
        { "up to date", [Node("n", current: New, state: "Done")], [], "up to date: booted " + New },
        { "paused", [Node("n", phase: "Staged", paused: true)], [], "paused: nodedaemon.io/paused is true; rollout resume --pool workers lets it go on" },
        { "waiting for a slot held by two others",
            [Node("n", phase: "WaitingForSlot"), Node("x", phase: "Draining"), Node("y", phase: "Rebooting")],
            [Lease("nodedaemon-workers-0", "x"), Lease("nodedaemon-workers-1", "y")], "waiting for a slot (held by x and y)" },
        { "blocked by a budget",
            [With(Node("n", phase: "Draining"), "nodedaemon.io/message", "draining: 1/2 pods evicted, waiting on shop/web-1 (PDB web: 2 healthy needed, 2 present)")], [],
            "blocked by a PodDisruptionBudget: draining: 1/2 pods evicted, waiting on shop/web-1 (PDB web: 2 healthy needed, 2 present)" },
        { "the image was rejected", [Node("n", state: "Degraded", reason: "health gate failed", rejected: New)], [],
            $"the image was rejected: the health gate failed on it here and the node rolled back ({New})" },
        { "the pool is halted by another node", [Node("n", phase: "WaitingForSlot"), Node("d", state: "Degraded", reason: "x")], [],
            $"the pool is halted: d Degraded on {NewDigest}" },
        { "a tag the daemon refuses", [Node("n", desired: "quay.io/example/os:latest")], [], "the daemon refuses the desired image: " },
        { "nothing desired", [Node("n", desired: null)], [], "nothing to do: no nodedaemon.io/desired-image annotation" },
        { "not in a pool", [Without(Node("n"), "nodedaemon.io/pool")], [], "not in a pool: the label nodedaemon.io/pool is missing" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Says_why_the_node_is_not_updating(string why, JsonObject[] nodes, JsonObject[] leases, string expected)
    {
        var lines = RolloutExplainer.Explain("n", nodes, leases, Settings(), Now);
        Assert.True(lines.Any(l => l.StartsWith(expected, StringComparison.Ordinal)), $"{why}: {string.Join(" | ", lines)}");
    }

    [Fact]
    public void A_waiting_node_of_a_halted_pool_is_told_of_the_halt_not_of_the_slots()
    {
        // Its last ask was answered "all 2 slots are held"; since then d went Degraded and halted the pool.
        JsonObject[] nodes =
        [
            With(Node("n", phase: "WaitingForSlot"), "nodedaemon.io/message", "waiting for a slot: all 2 slots are held"),
            Node("x", phase: "Draining"), Node("d", state: "Degraded", reason: "booted the old image"),
        ];

        var lines = RolloutExplainer.Explain("n", nodes, [Lease("nodedaemon-workers-0", "x"), Lease("nodedaemon-workers-1", "")], Settings(), Now);

        Assert.Equal([$"the pool is halted: d Degraded on {NewDigest}; no node gets a slot for that image while the halt lasts"], lines);
    }

    internal static JsonObject With(JsonObject node, string key, string value)
    {
        node["metadata"]!["annotations"]![key] = value;
        return node;
    }

    private static JsonObject Without(JsonObject node, string label)
    {
        node["metadata"]!["labels"]!.AsObject().Remove(label);
        return node;
    }
}
