using NodeDaemon.Core.Agent;
using NodeDaemon.Core.Cluster;
using NodeDaemon.Metrics;

namespace NodeDaemon.Tests.Metrics;

/// <summary>What a turn tells the alert series: the pure rule, row by row.</summary>
public sealed class NodeSignalsTests
{
    private const string Rejected = "quay.io/example/os@sha256:" + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

    private static NodeSnapshot Node(string? rejected = null) => new("worker-1", "uid-1", "1", true,
        rejected is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["nodedaemon.io/rejected-image"] = rejected },
        new Dictionary<string, string>());

    private static NodeView View(bool ours = false, string? pool = null) => new("quay.io/example/os@sha256:" + new string('2', 64), false, true, ours, pool);

    private static Decision In(AgentState state) => new(state, new AgentAction.None(), "");

    public static TheoryData<string, NodeSignals, NodeSignals> Rows => new()
    {
        { "an admin's cordon is not ours", NodeSignals.From(Node(), View(ours: false), In(AgentState.Staged), false, "nodedaemon.io/"), new(false, null, false, null) },
        { "our cordon", NodeSignals.From(Node(), View(ours: true), In(AgentState.Draining), false, "nodedaemon.io/"), new(true, null, false, null) },
        { "waiting on a halt", NodeSignals.From(Node(), View(pool: "blue"), In(AgentState.WaitingForSlot), true, "nodedaemon.io/"), new(false, "blue", true, null) },
        { "a halt answer, but the node took a slot since", NodeSignals.From(Node(), View(ours: true, pool: "blue"), In(AgentState.Draining), true, "nodedaemon.io/"), new(true, "blue", false, null) },
        { "waiting on a full pool", NodeSignals.From(Node(), View(pool: "blue"), In(AgentState.WaitingForSlot), false, "nodedaemon.io/"), new(false, "blue", false, null) },
        { "a rejected image", NodeSignals.From(Node(" " + Rejected + " "), View(), In(AgentState.Degraded), false, "nodedaemon.io/"), new(false, null, false, Rejected) },
        { "an empty rejected-image annotation", NodeSignals.From(Node(""), View(), In(AgentState.Idle), false, "nodedaemon.io/"), new(false, null, false, null) },
        { "the annotation under another prefix", NodeSignals.From(Node(Rejected), View(), In(AgentState.Idle), false, "example.com/"), new(false, null, false, null) },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void A_turn_signals(string situation, NodeSignals actual, NodeSignals expected)
    {
        Assert.False(string.IsNullOrEmpty(situation));
        Assert.Equal(expected, actual);
    }
}
