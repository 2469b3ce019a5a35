using NodeDaemon.Core.Images;

namespace NodeDaemon.Core.Agent;

/// <summary>The closed set of things a decision can ask the executor to do; one at a time, each idempotent.</summary>
public abstract record AgentAction
{
    // Only the nested records below derive from this: the set is closed.
    private AgentAction()
    {
    }

    /// <summary>Nothing to do until the node or host changes.</summary>
    public sealed record None : AgentAction;

    /// <summary>Nothing to do before <paramref name="Until"/>, unless the node or host changes first.</summary>
    public sealed record Wait(DateTimeOffset Until) : AgentAction;

    /// <summary>Forget every note: nothing is desired any more, so a later desired image starts clean.</summary>
    public sealed record ResetRecord : AgentAction;

    /// <summary>Pull and stage <paramref name="Refspec"/> with <c>lock-finalization</c>.</summary>
    /// <param name="Refspec">What rpm-ostree rebases to.</param>
    /// <param name="ExpectedDigest">The digest the staged deployment must have; null for a tag (allowTags).</param>
    public sealed record Stage(OstreeRefspec Refspec, Digest? ExpectedDigest) : AgentAction;

    /// <summary>Drop a staged deployment of ours that is no longer wanted.</summary>
    public sealed record CleanupStaged : AgentAction;

    /// <summary>Take a slot of the pool for <paramref name="Digest"/> before disrupting anything, or make the held one name it.</summary>
    /// <param name="Digest">The staged digest the node is about to reboot into: the slot records it, for takeovers and halts.</param>
    public sealed record AcquireSlot(Digest Digest) : AgentAction;

    /// <summary>Give the pool's slot back.</summary>
    public sealed record ReleaseSlot : AgentAction;

    /// <summary>Take a staging slot of the pool before pulling <paramref name="Target"/> (<c>fleet.maxStaging</c>).</summary>
    /// <param name="Target">The desired image's notes key (<see cref="Decision.Key"/>): what the slot's Lease says is pulled.</param>
    public sealed record AcquireStagingSlot(string Target) : AgentAction;

    /// <summary>Give the pool's staging slot back: the pull ended (or is not wanted any more).</summary>
    public sealed record ReleaseStagingSlot : AgentAction;

    /// <summary>Mark the node unschedulable and record that we did.</summary>
    public sealed record Cordon : AgentAction;

    /// <summary>Evict the node's pods under the drain options.</summary>
    public sealed record Drain : AgentAction;

    /// <summary>Record the reboot, then finalize the staged deployment of <paramref name="Digest"/> (which reboots).</summary>
    /// <remarks>Always through <c>FinalizeDeployment</c> first, even for a stage our notes do not know (a crash can
    /// come between the stage and the note): only its "already unlocked" answer allows a plain reboot.</remarks>
    /// <param name="Digest">The manifest digest rpm-ostree checks before it unlocks.</param>
    public sealed record Finalize(Digest Digest) : AgentAction;

    /// <summary>Lift our own cordon (never an admin's) and drop the mark.</summary>
    public sealed record Uncordon : AgentAction;

    /// <summary>The booted digest is the desired one after our reboot: record success.</summary>
    public sealed record CompleteVerification(Digest Digest) : AgentAction;

    /// <summary>Give up on the target: persist <paramref name="Failure"/> so that no retry or reboot follows.</summary>
    /// <param name="Failure">Why, where, and whether the cordon stays.</param>
    /// <param name="Rejects">The image not to stage again (a rollback, a fallback); null for a failure that may be retried.</param>
    public sealed record RecordFailure(RecordedFailure Failure, RejectedImage? Rejects = null) : AgentAction;

    /// <summary>Ask the health gate about <paramref name="Digest"/>, booted after a reboot of ours, and note its answer.</summary>
    public sealed record CheckHealth(Digest Digest) : AgentAction;

    /// <summary>Note the rollback, make the previous deployment the default and reboot into it through logind (never twice for one target).</summary>
    /// <param name="From">The digest that failed the gate (booted now).</param>
    /// <param name="FromReference">Its digest reference, for the rejected mark.</param>
    /// <param name="Reason">The gate's reason.</param>
    /// <param name="PreviousChecksum">The ostree commit of the deployment to boot.</param>
    /// <param name="PreviousDigest">Its image digest; null when it is not a container image.</param>
    public sealed record Rollback(Digest From, string FromReference, string Reason, string PreviousChecksum, Digest? PreviousDigest) : AgentAction;

    /// <summary>Note that the node now carries the rejected mark, so that its later absence means an admin cleared it.</summary>
    public sealed record NoteRejectionMarked : AgentAction;

    /// <summary>Forget the rejected image: the desired image names another digest, or an admin cleared the mark.</summary>
    public sealed record ForgetRejection : AgentAction;
}
