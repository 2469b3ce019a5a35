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
    public sealed record RecordFailure(RecordedFailure Failure) : AgentAction;
}
