using NodeDaemon.Core.Agent;
using NodeDaemon.Core.Images;
using NodeDaemon.Core.Options;
using static NodeDaemon.Core.Tests.Agent.Build;

namespace NodeDaemon.Core.Tests.Agent;

/// <summary>What a decision carries for the executor: how it is reported, and the key its outcomes are noted under.</summary>
public sealed class DecisionTests
{
    public static TheoryData<string, AgentAction, ReportMode> ReportRows() => new()
    {
        { "a cordon reports in its own write", new AgentAction.Cordon(), ReportMode.WithCordon },
        { "an uncordon reports in its own write", new AgentAction.Uncordon(), ReportMode.WithCordon },
        { "a slot request reports only its refusal", new AgentAction.AcquireSlot(Digest.Parse(D2)), ReportMode.SlotAnswer },
        { "a verification is not reported: the uncordon after it says Done", new AgentAction.CompleteVerification(Digest.Parse(D2)), ReportMode.None },
        { "forgetting notes is not worth a write for a new message alone", new AgentAction.ResetRecord(), ReportMode.UnlessOnlyMessage },
        { "a stage reports first", StageOf(Pull(D2)), ReportMode.BeforeAction },
        { "a drain reports first", new AgentAction.Drain(), ReportMode.BeforeAction },
        { "a finalize reports first", new AgentAction.Finalize(Digest.Parse(D2)), ReportMode.BeforeAction },
        { "a release reports first", new AgentAction.ReleaseSlot(), ReportMode.BeforeAction },
        { "a wait reports", new AgentAction.Wait(Now), ReportMode.BeforeAction },
        { "nothing to do reports", new AgentAction.None(), ReportMode.BeforeAction },
    };

    [Theory]
    [MemberData(nameof(ReportRows))]
    public void Report_mode_follows_the_action(string name, AgentAction action, ReportMode mode)
    {
        Assert.True(new Decision(AgentState.Idle, action, name).Report == mode, name);
    }

    [Theory]
    [InlineData("the gate's waiting line changes its words at every ask: a progress line", AgentState.Verifying, ReportMode.ProgressLine)]
    [InlineData("a wait in another phase reports what it says", AgentState.WaitingForSlot, ReportMode.BeforeAction)]
    [InlineData("a wait of a Degraded node reports what it says", AgentState.Degraded, ReportMode.BeforeAction)]
    public void A_wait_while_verifying_reports_a_new_message_alone_as_a_progress_line(string name, AgentState state, ReportMode mode)
    {
        Assert.True(new Decision(state, new AgentAction.Wait(Now), name).Report == mode, name);
    }

    [Theory]
    [InlineData("quay.io/example/os@sha256:2222222222222222222222222222222222222222222222222222222222222222", false, "quay.io/example/os@sha256:2222222222222222222222222222222222222222222222222222222222222222")]
    [InlineData("quay.io/example/os:stable", true, "quay.io/example/os:stable")]
    [InlineData("quay.io/example/os:stable", false, null)]
    [InlineData("not an image", false, null)]
    [InlineData(null, false, null)]
    public void Carries_the_key_of_the_notes_about_its_target(string? desired, bool allowTags, string? key)
    {
        var decision = Decider.Decide(Inputs(desired: desired, options: new NodeDaemonOptions { AllowTags = allowTags }));

        Assert.Equal(key, decision.Key);
    }

    [Theory]
    [InlineData("desired image booted: it hands the slot on without renewing", true, false)]
    [InlineData("desired image not booted: it keeps working and renews", false, true)]
    public void A_slot_found_held_at_start_is_renewed_only_while_still_working(string name, bool booted, bool renews)
    {
        var node = new NodeView(Pull(booted ? D1 : D2), Paused: false, Unschedulable: true, CordonedByUs: true, Pool);

        Assert.True(HeldSlotRules.RenewsAtStart(node, Deployment(D1), new NodeDaemonOptions()) == renews, name);
    }
}
