using NodeDaemon.Core.Cluster;
using NodeDaemon.Core.Health;
using NodeDaemon.Core.Images;

namespace NodeDaemon.Core.Agent;

/// <summary>The closed set of things an executor reports back from carrying out an action; <see cref="RecordRules"/>
/// turns each into notes.</summary>
/// <remarks>Executors only say what happened; what it means for the notes (the backoff, keeping the cordon, a fresh
/// drain) is decided in one pure place, table-tested like the decider.</remarks>
public abstract record AgentOutcome
{
    // Only the nested records below derive from this: the set is closed.
    private AgentOutcome()
    {
    }

    /// <summary>The failure counter this outcome adds to when it is first known; null when it is not a failure.</summary>
    public virtual FailureClass? Counts => null;

    /// <summary>The host staged <paramref name="Digest"/> with <c>lock-finalization</c>.</summary>
    public sealed record Staged(Digest Digest) : AgentOutcome;

    /// <summary>Staging failed with rpm-ostree's <paramref name="Error"/> at <paramref name="At"/>.</summary>
    public sealed record StageFailed(string Error, Moment At) : AgentOutcome
    {
        /// <inheritdoc/>
        public override FailureClass? Counts => FailureClass.Stage;
    }

    /// <summary>About to cordon the node.</summary>
    public sealed record Cordoning : AgentOutcome;

    /// <summary>A drain is about to evict (or resumes evicting after a restart) at <paramref name="At"/>.</summary>
    public sealed record DrainStarted(Moment At) : AgentOutcome;

    /// <summary>Every pod that had to go is gone: <paramref name="Evicted"/> of <paramref name="Total"/> evicted.</summary>
    public sealed record Drained(int Evicted, int Total) : AgentOutcome;

    /// <summary>The drain ended without draining the node (<paramref name="Outcome"/>), with the drainer's <paramref name="Message"/>.</summary>
    public sealed record DrainFailed(DrainOutcome Outcome, string Message) : AgentOutcome
    {
        /// <inheritdoc/>
        public override FailureClass? Counts => FailureClass.Drain;
    }

    /// <summary>About to ask the host to finalize (and so reboot) from the boot <paramref name="BootId"/>.</summary>
    /// <param name="BootId">The boot being asked to end.</param>
    /// <param name="Monotonic">The boot's monotonic clock; null when not known.</param>
    public sealed record RebootRequested(string BootId, TimeSpan? Monotonic) : AgentOutcome;

    /// <summary>The host accepted the finalization: the reboot is under way.</summary>
    public sealed record FinalizeAccepted : AgentOutcome;

    /// <summary>A <c>block</c>-mode shutdown inhibitor refused the finalization (before the unlock: nothing changed).</summary>
    /// <param name="Refusal">The host's answer.</param>
    /// <param name="Monotonic">The boot's monotonic clock; null when not known.</param>
    public sealed record FinalizeInhibited(string Refusal, TimeSpan? Monotonic) : AgentOutcome;

    /// <summary>The host refused to finalize, with its answer.</summary>
    public sealed record FinalizeRefused(string Refusal) : AgentOutcome
    {
        /// <inheritdoc/>
        public override FailureClass? Counts => FailureClass.Finalize;
    }

    /// <summary>The host booted the target after our reboot.</summary>
    public sealed record Verified : AgentOutcome;

    /// <summary>The agent gave up on the target with <paramref name="Failure"/>; <paramref name="Rejects"/> is not staged again.</summary>
    public sealed record GaveUp(RecordedFailure Failure, RejectedImage? Rejects = null) : AgentOutcome
    {
        /// <inheritdoc/>
        /// <remarks>Stage and drain failures were counted as they happened; a reboot that did not bring the target, or a
        /// boot that failed the health gate, is only known now.</remarks>
        public override FailureClass? Counts => Failure.FailedIn is AgentState.Rebooting or AgentState.Verifying ? FailureClass.Verify : null;
    }

    /// <summary>The health gate answered <paramref name="Verdict"/> about <paramref name="Image"/> at <paramref name="At"/>, asked when the
    /// node's Ready condition was <paramref name="SawReady"/>.</summary>
    public sealed record HealthChecked(Digest Image, HealthVerdict Verdict, Moment At, NodeReadyCondition? SawReady = null) : AgentOutcome;

    /// <summary>About to ask the host for the rollback described by <paramref name="Request"/>.</summary>
    public sealed record RollbackRequested(RollbackRequest Request) : AgentOutcome;

    /// <summary>The host made the previous deployment the default and the reboot was asked for.</summary>
    public sealed record RollbackAccepted : AgentOutcome;

    /// <summary>The host refused the rollback with <paramref name="Refusal"/>: the node stays on the image that failed the gate.</summary>
    public sealed record RollbackRefused(string Refusal) : AgentOutcome
    {
        /// <inheritdoc/>
        public override FailureClass? Counts => FailureClass.Verify;
    }

    /// <summary>The node was seen carrying the rejected mark.</summary>
    public sealed record RejectionMarked : AgentOutcome;

    /// <summary>The rejected image is forgotten (another digest desired, or the mark cleared by an admin).</summary>
    public sealed record RejectionForgotten : AgentOutcome;

    /// <summary>Nothing is desired any more: every note is forgotten.</summary>
    public sealed record Forgotten : AgentOutcome;
}
