namespace NodeDaemon.Core.Agent;

/// <summary>The outcome of one decision: the state to be in, the one action to take, and what to tell people.</summary>
/// <param name="State">The state the agent is in while the action runs.</param>
/// <param name="Action">The single next step.</param>
/// <param name="Message">The progress line for the node's <c>message</c> and the systemd STATUS.</param>
/// <param name="Reason">Why the node is Degraded; null otherwise.</param>
public sealed record Decision(AgentState State, AgentAction Action, string Message, string? Reason = null)
{
    /// <summary>What <c>current-image</c> says about the booted deployment (<see cref="ReportedImage"/>); null leaves it as it is.</summary>
    public string? CurrentImage { get; init; }

    /// <summary>What the <c>rejected-image</c> annotation must say (<see cref="RejectionRules.Mark"/>): a digest reference, empty to
    /// remove it, null to leave it as it is.</summary>
    public string? RejectedImage { get; init; }

    /// <summary>The key of the notes (<see cref="AgentRecord.Target"/>) about the desired image this decision works on;
    /// null when none is desired or the annotation is invalid. Executors note outcomes under it, never parsing the image again.</summary>
    public string? Key { get; init; }

    /// <summary>How the executor reports this decision on the node: the one home of that rule.</summary>
    public ReportMode Report => Action switch
    {
        AgentAction.Cordon or AgentAction.Uncordon => ReportMode.WithCordon,
        AgentAction.AcquireSlot or AgentAction.AcquireStagingSlot => ReportMode.SlotAnswer,
        // Put before whatever the turn decided (see StagingSlotRule.Release): that turn's report comes with it, next turn.
        AgentAction.ReleaseStagingSlot => ReportMode.None,
        AgentAction.CompleteVerification => ReportMode.None,
        // Only notes: the next turn reports what follows (the gate's answer, the mark noted, the image tried again).
        AgentAction.CheckHealth or AgentAction.NoteRejectionMarked or AgentAction.ForgetRejection => ReportMode.None,
        AgentAction.ResetRecord => ReportMode.UnlessOnlyMessage,
        // The gate's answer between asks: its words change with each ask, its phase does not (GateRules.Step).
        AgentAction.Wait when State is AgentState.Verifying => ReportMode.ProgressLine,
        _ => ReportMode.BeforeAction,
    };

    /// <summary>The coarse condition for the <c>state</c> annotation.</summary>
    /// <remarks>
    /// Done is never shown on a node we still cordon: another node's slot client may take over a slot from a holder that
    /// reports Done on its slot's image, so a Done before the uncordon could let one node too many in. An uncordon's
    /// report is written in the uncordon's own PATCH (see AgentLoop), so its Done appears together with the lifted cordon.
    /// </remarks>
    public AgentCondition Condition => State switch
    {
        AgentState.Idle => AgentCondition.Done,
        AgentState.Degraded => AgentCondition.Degraded,
        _ => AgentCondition.Working,
    };
}
