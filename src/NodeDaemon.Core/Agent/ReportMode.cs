namespace NodeDaemon.Core.Agent;

/// <summary>How the executor tells the node about a decision (see <see cref="Decision.Report"/>).</summary>
public enum ReportMode
{
    /// <summary>Report before acting, when it says something new.</summary>
    BeforeAction,

    /// <summary>Report before acting, but not for a new message alone: the phase, state and reason it would show are
    /// already on the node, and the action ends at once (forgetting the notes).</summary>
    UnlessOnlyMessage,

    /// <summary>Report before acting, but a change of the message alone is a progress line: written only when the last write
    /// to the node is <c>progressIntervalSeconds</c> old, like a pull's or a drain's lines. For the health gate's waiting lines,
    /// whose words change with every ask ("its Ready is from before the boot", the seconds left) while the phase stays Verifying.</summary>
    ProgressLine,

    /// <summary>The report rides in the cordon's or uncordon's own write: one PATCH instead of two.</summary>
    WithCordon,

    /// <summary>Only the slot request's answer is reported, and only when it gave no slot: "waiting for a slot" would be
    /// overwritten at once by the answer, or by the cordon that follows a slot taken.</summary>
    SlotAnswer,

    /// <summary>Not reported: the action ends at once and the next turn's write says what follows (a verification,
    /// whose uncordon writes Done).</summary>
    None,
}
