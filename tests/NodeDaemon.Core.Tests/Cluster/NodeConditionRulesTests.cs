using NodeDaemon.Core.Agent;
using NodeDaemon.Core.Cluster;

namespace NodeDaemon.Core.Tests.Cluster;

/// <summary>The condition table: what each report means as OSUpdateProgressing and OSUpdateDegraded.</summary>
public sealed class NodeConditionRulesTests
{
    /// <summary>One row: the report's state, phase and reason, and the two conditions' (status, reason).</summary>
    public sealed record Row(AgentCondition State, AgentState Phase, string Reason, string Progressing, string ProgressingReason, string Degraded, string DegradedReason)
    {
        public override string ToString() => $"{State}/{Phase}";
    }

    private static readonly Row[] s_rows =
    [
        new(AgentCondition.Done, AgentState.Idle, "", "False", "UpToDate", "False", "AsExpected"),
        new(AgentCondition.Working, AgentState.Idle, "", "False", "Idle", "False", "AsExpected"),
        new(AgentCondition.Working, AgentState.Starting, "", "False", "Idle", "False", "AsExpected"),
        new(AgentCondition.Working, AgentState.Staging, "", "True", "Staging", "False", "AsExpected"),
        new(AgentCondition.Working, AgentState.Staged, "", "True", "Staged", "False", "AsExpected"),
        new(AgentCondition.Working, AgentState.WaitingForSlot, "", "True", "WaitingForSlot", "False", "AsExpected"),
        new(AgentCondition.Working, AgentState.Draining, "", "True", "Draining", "False", "AsExpected"),
        new(AgentCondition.Working, AgentState.Rebooting, "", "True", "Rebooting", "False", "AsExpected"),
        new(AgentCondition.Working, AgentState.Verifying, "", "True", "Verifying", "False", "AsExpected"),
        // A turn that keeps failing writes its trouble as the reason, but the node is not Degraded for it.
        new(AgentCondition.Working, AgentState.Staging, "rpm-ostreed is not answering", "True", "Staging", "False", "AsExpected"),
        new(AgentCondition.Working, AgentState.Paused, "", "False", "Paused", "False", "AsExpected"),
        new(AgentCondition.Done, AgentState.Paused, "", "False", "Paused", "False", "AsExpected"),
        new(AgentCondition.Degraded, AgentState.Degraded, "pull failed: manifest unknown", "False", "Degraded", "True", "UpdateFailed"),
        new(AgentCondition.Degraded, AgentState.Idle, "desired image is malformed", "False", "Degraded", "True", "UpdateFailed"),
        new(AgentCondition.Degraded, AgentState.Paused, "pull failed", "False", "Degraded", "True", "UpdateFailed"),
    ];

    public static TheoryData<Row> Rows => [.. s_rows];

    [Theory]
    [MemberData(nameof(Rows))]
    public void A_report_means_these_conditions(Row row)
    {
        var conditions = NodeConditionRules.For(new NodeReport(row.State, row.Phase, row.Reason, "pulling 3/7 layers", null));

        Assert.Equal(NodeConditionRules.Types, conditions.Select(c => c.Type));
        Assert.Equal((row.Progressing, row.ProgressingReason), (conditions[0].Status, conditions[0].Reason));
        Assert.Equal((row.Degraded, row.DegradedReason), (conditions[1].Status, conditions[1].Reason));
        Assert.All(conditions, c => Assert.Null(c.LastTransitionTime));
    }

    [Fact]
    public void Every_agent_state_and_condition_has_a_row_or_a_fallback_that_is_not_True()
    {
        // A phase added later must be decided on: until it has a row, it must not claim an update in progress.
        foreach (var state in Enum.GetValues<AgentCondition>())
        {
            foreach (var phase in Enum.GetValues<AgentState>())
            {
                var conditions = NodeConditionRules.For(new NodeReport(state, phase, "r", "", null));
                var row = s_rows.FirstOrDefault(r => r.State == state && r.Phase == phase);
                Assert.True(row is not null || conditions[0].Status == "False", $"{state}/{phase} has no row and says {conditions[0].Status}");
                Assert.Equal(state == AgentCondition.Degraded ? "True" : "False", conditions[1].Status);
            }
        }
    }

    [Fact]
    public void The_degraded_message_is_the_reason_and_progress_lines_change_nothing()
    {
        var a = NodeConditionRules.For(new NodeReport(AgentCondition.Working, AgentState.Staging, "", "pulling 1/7 layers", null));
        var b = NodeConditionRules.For(new NodeReport(AgentCondition.Working, AgentState.Staging, "", "pulling 6/7 layers", null));
        var degraded = NodeConditionRules.For(new NodeReport(AgentCondition.Degraded, AgentState.Degraded, "pull failed: 404", "", null));

        Assert.Equal(a, b);
        Assert.Equal("pull failed: 404", degraded[1].Message);
    }

    [Fact]
    public void Stamp_keeps_the_seen_transition_time_while_the_status_holds_and_takes_now_when_it_changes()
    {
        var then = new DateTimeOffset(2026, 3, 7, 22, 0, 0, TimeSpan.Zero);
        var now = then.AddHours(1);
        IReadOnlyList<NodeConditionValue> seen =
        [
            new("Ready", "True", "KubeletReady", "", then.AddDays(-1)),
            new(NodeConditionRules.Progressing, "True", "Staging", "", then),
            new(NodeConditionRules.Degraded, "False", "AsExpected", "", then),
        ];
        var wanted = NodeConditionRules.For(new NodeReport(AgentCondition.Degraded, AgentState.Degraded, "pull failed", "", null))
            .Concat(NodeConditionRules.For(new NodeReport(AgentCondition.Working, AgentState.Draining, "", "", null)).Take(1)).ToList();

        var stamped = NodeConditionRules.Stamp(wanted, seen, now);

        Assert.Equal(now, stamped[0].LastTransitionTime);   // Progressing True -> False
        Assert.Equal(now, stamped[1].LastTransitionTime);   // Degraded False -> True
        Assert.Equal(then, stamped[2].LastTransitionTime);  // Progressing True -> True, another reason
        Assert.Equal(now, NodeConditionRules.Stamp(wanted, [], now)[2].LastTransitionTime);
    }

    [Fact]
    public void Shows_compares_type_status_reason_and_message_but_not_times()
    {
        var wanted = NodeConditionRules.For(new NodeReport(AgentCondition.Done, AgentState.Idle, "", "", null));
        var seen = NodeConditionRules.Stamp(wanted, [], DateTimeOffset.UnixEpoch).Append(new NodeConditionValue("Ready", "True", "KubeletReady", "")).ToList();

        Assert.True(NodeConditionRules.Shows(seen, wanted));
        Assert.False(NodeConditionRules.Shows(seen.Skip(1).ToList(), wanted));
        Assert.False(NodeConditionRules.Shows([seen[0], seen[1] with { Reason = "Other" }], wanted));
    }

    [Theory]
    [InlineData("the cordon: Progressing stays True, only its reason moves to Draining", AgentState.WaitingForSlot, AgentCondition.Working, AgentState.Draining, AgentCondition.Working, false)]
    [InlineData("the uncordon: Progressing turns False with Done", AgentState.Verifying, AgentCondition.Working, AgentState.Idle, AgentCondition.Done, true)]
    [InlineData("a give-up: Degraded turns True", AgentState.Draining, AgentCondition.Working, AgentState.Degraded, AgentCondition.Degraded, true)]
    [InlineData("the start of an update: Progressing turns True", AgentState.Idle, AgentCondition.Done, AgentState.Staging, AgentCondition.Working, true)]
    [InlineData("nothing changes", AgentState.Rebooting, AgentCondition.Working, AgentState.Rebooting, AgentCondition.Working, false)]
    public void A_write_of_conditions_alone_is_worth_it_only_when_a_status_changes(string name, AgentState fromPhase, AgentCondition from, AgentState toPhase, AgentCondition to, bool alone)
    {
        var seen = NodeConditionRules.For(new NodeReport(from, fromPhase, "", "", null));
        var wanted = NodeConditionRules.For(new NodeReport(to, toPhase, "", "", null));

        Assert.True(NodeConditionRules.WorthWriteAlone(seen, wanted) == alone, name);
    }

    [Fact]
    public void Conditions_missing_from_the_node_are_worth_a_write_of_their_own()
    {
        var wanted = NodeConditionRules.For(new NodeReport(AgentCondition.Working, AgentState.Draining, "", "", null));

        Assert.True(NodeConditionRules.WorthWriteAlone([new NodeConditionValue("Ready", "True", "KubeletReady", "")], wanted));
    }
}
