using Microsoft.Extensions.Time.Testing;
using NodeDaemon.Core.Agent;
using NodeDaemon.Core.Cluster;

namespace NodeDaemon.Kubernetes.Tests.Annotations;

/// <summary>The daemon's Node conditions through nodes/status: merged by type beside the kubelet's, transition times kept while the status holds.</summary>
public sealed class ConditionTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 7, 22, 30, 0, TimeSpan.Zero);

    private static IReadOnlyList<NodeConditionValue> For(AgentCondition state, AgentState phase, string reason = "") =>
        NodeConditionRules.For(new NodeReport(state, phase, reason, "", null));

    [Fact]
    public async Task Conditions_go_to_the_status_subresource_beside_the_kubelets_Ready_and_keep_their_transition_time_while_the_status_holds()
    {
        var time = new FakeTimeProvider(Start);
        await using var world = await World.StartAsync(time: time);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        await world.Client.SetConditionsAsync(For(AgentCondition.Working, AgentState.Staging), cts.Token);
        time.Advance(TimeSpan.FromMinutes(5));
        await world.Client.SetConditionsAsync(For(AgentCondition.Working, AgentState.Draining), cts.Token);
        time.Advance(TimeSpan.FromMinutes(5));
        await world.Client.SetConditionsAsync(For(AgentCondition.Done, AgentState.Idle), cts.Token);

        var conditions = world.Node()["status"]!["conditions"]!.AsArray();
        Assert.Equal(["Ready", NodeConditionRules.Progressing, NodeConditionRules.Degraded], conditions.Select(c => (string?)c!["type"]));
        Assert.Equal("True", (string?)conditions[0]!["status"]);
        var progressing = conditions[1]!;
        Assert.Equal(("False", "UpToDate"), ((string?)progressing["status"], (string?)progressing["reason"]));
        Assert.Equal("2026-03-07T22:40:00Z", (string?)progressing["lastTransitionTime"]);
        Assert.Equal("2026-03-07T22:40:00Z", (string?)progressing["lastHeartbeatTime"]);
        // Degraded stayed False throughout: its transition is the first write's.
        Assert.Equal("2026-03-07T22:30:00Z", (string?)conditions[2]!["lastTransitionTime"]);
        Assert.Equal(3, world.Server.Requests["patch nodes/status"]);
        Assert.Equal(0, world.Server.Requests["patch nodes"]);
    }

    [Fact]
    public async Task A_reason_that_changes_under_the_same_status_is_no_transition()
    {
        var time = new FakeTimeProvider(Start);
        await using var world = await World.StartAsync(time: time);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        await world.Client.SetConditionsAsync(For(AgentCondition.Working, AgentState.Staging), cts.Token);
        time.Advance(TimeSpan.FromMinutes(3));
        await world.Client.SetConditionsAsync(For(AgentCondition.Working, AgentState.Rebooting), cts.Token);

        var progressing = world.Node()["status"]!["conditions"]!.AsArray().Single(c => (string?)c!["type"] == NodeConditionRules.Progressing)!;
        Assert.Equal("Rebooting", (string?)progressing["reason"]);
        Assert.Equal("2026-03-07T22:30:00Z", (string?)progressing["lastTransitionTime"]);
        Assert.Equal("2026-03-07T22:33:00Z", (string?)progressing["lastHeartbeatTime"]);
    }

    [Fact]
    public async Task A_report_rides_with_the_conditions_in_one_status_write_that_keeps_its_annotations_and_label()
    {
        var time = new FakeTimeProvider(Start);
        await using var world = await World.StartAsync(time: time);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var report = new NodeReport(AgentCondition.Degraded, AgentState.Idle, "the pull failed", "gave up", null);

        await world.Client.SetConditionsAsync(NodeConditionRules.For(report), report, cts.Token);

        // nodeStatusStrategy resets only the spec on nodes/status: the metadata of the same patch is kept.
        var node = world.Node();
        var annotations = node["metadata"]!["annotations"]!;
        Assert.Equal(("Degraded", "Idle", "the pull failed"),
            ((string?)annotations["nodedaemon.io/state"], (string?)annotations["nodedaemon.io/phase"], (string?)annotations["nodedaemon.io/reason"]));
        Assert.Equal("true", (string?)node["metadata"]!["labels"]!["nodedaemon.io/degraded"]);
        Assert.Equal("True", (string?)node["status"]!["conditions"]!.AsArray().Single(c => (string?)c!["type"] == NodeConditionRules.Degraded)!["status"]);
        Assert.Equal(1, world.Server.Requests["patch nodes/status"]);
        Assert.Equal(0, world.Server.Requests["patch nodes"]);
    }
}
