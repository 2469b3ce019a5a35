using NodeDaemon.Core.Health;
using NodeDaemon.Core.Images;
using NodeDaemon.Core.Options;

namespace NodeDaemon.Core.Agent;

/// <summary>The daemon's own notes about the current desired image, persisted so they survive crashes and reboots.</summary>
/// <remarks>
/// The host and the node say almost everything; these notes hold only what they cannot: that we staged with a
/// lock (rpm-ostree does not show it), how often we tried, that the drain finished, and which boot we asked to
/// end. Every <c>With*</c> method is pure, so the executor records outcomes the same way tests do.
/// </remarks>
public sealed record AgentRecord
{
    /// <summary>No notes.</summary>
    public static readonly AgentRecord Empty = new();

    /// <summary>The canonical desired pullspec these notes are about; null when empty.</summary>
    public string? Target { get; init; }

    /// <summary>The digest we staged with <c>lock-finalization</c>.</summary>
    public Digest? LockedStage { get; init; }

    /// <summary>Failed stage attempts for <see cref="Target"/>.</summary>
    public int StageFailures { get; init; }

    /// <summary>Not before this instant is staging tried again.</summary>
    public DateTimeOffset? NextStageAttemptAt { get; init; }

    /// <summary>When the last stage attempt failed, on both clocks: the backoff is measured from it.</summary>
    public Moment? StageFailedAt { get; init; }

    /// <summary>The last stage error, verbatim from rpm-ostree.</summary>
    public string? LastStageError { get; init; }

    /// <summary>The drain for <see cref="Target"/> completed.</summary>
    public bool Drained { get; init; }

    /// <summary>When the current drain started: its <c>drain.timeoutSeconds</c> counts from here across restarts, on the
    /// boot's monotonic clock (a wall clock stepped while draining neither stretches nor cuts the timeout).</summary>
    public Moment? DrainStarted { get; init; }

    /// <summary>The last reboot we requested for <see cref="Target"/>.</summary>
    public RebootRequest? Reboot { get; init; }

    /// <summary>We gave up on <see cref="Target"/>.</summary>
    public RecordedFailure? Failure { get; init; }

    /// <summary>The health gate's last answer after a boot of ours (into the target, or back on the previous image).</summary>
    public HealthNote? Health { get; init; }

    /// <summary>The automatic rollback asked for after the gate failed on <see cref="Target"/>; at most one per target.</summary>
    public RollbackRequest? Rollback { get; init; }

    /// <summary>The image not to stage again; not about one target, so fresh notes for another target keep it (see <see cref="RejectedImage"/>).</summary>
    public RejectedImage? Rejected { get; init; }

    /// <summary>Fresh notes for <paramref name="target"/>.</summary>
    public static AgentRecord For(string target) => new() { Target = target };

    /// <summary>These notes when they are about <paramref name="target"/>, else fresh ones: a new target starts clean, and
    /// only the rejected image is carried over (the decider forgets it when the new target names another digest).</summary>
    public AgentRecord About(string target) => Target == target ? this : For(target) with { Rejected = Rejected };

    /// <summary>These notes without the rejected image: what is left about the target alone.</summary>
    public AgentRecord WithoutRejection() => this with { Rejected = null };

    /// <summary>Notes after a successful stage of <paramref name="digest"/>.</summary>
    public AgentRecord WithStaged(Digest digest) =>
        this with { LockedStage = digest, StageFailures = 0, NextStageAttemptAt = null, StageFailedAt = null, LastStageError = null };

    /// <summary>Notes after a failed stage: the next attempt waits, doubling from the configured delay.</summary>
    /// <param name="error">rpm-ostree's message.</param>
    /// <param name="now">The wall clock.</param>
    /// <param name="options">The staging options.</param>
    /// <param name="at">The same instant on the boot's monotonic clock; null when not known (the wall clock is then used).</param>
    public AgentRecord WithStageFailure(string error, DateTimeOffset now, StagingOptions options, Moment? at = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = StageFailures + 1;
        return this with { StageFailures = failures, NextStageAttemptAt = now + StageDelay(failures, options), StageFailedAt = at, LastStageError = error };
    }

    /// <summary>The wait after <paramref name="failures"/> failed stage attempts.</summary>
    /// <remarks>Doubling with a cap (64×) keeps a flapping registry from being hammered without waiting for hours.</remarks>
    public static TimeSpan StageDelay(int failures, StagingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.RetryDelay * Math.Pow(2, Math.Clamp(failures - 1, 0, 6));
    }

    /// <summary>Notes when cordoning: a drain from before no longer counts (pods may have come back while the node was
    /// schedulable, e.g. after an admin lifted the cordon), so the next finalize needs a new one.</summary>
    public AgentRecord WithCordoned() => this with { Drained = false, DrainStarted = null };

    /// <summary>Notes when a drain starts (or resumes after a restart: the first start is kept).</summary>
    public AgentRecord WithDrainStarted(Moment now) => DrainStarted is null ? this with { DrainStarted = now } : this;

    /// <summary>Notes after the drain finished.</summary>
    public AgentRecord WithDrained() => this with { Drained = true, DrainStarted = null };

    /// <summary>Notes just before finalizing: one more reboot attempt, in the boot <paramref name="bootId"/>.</summary>
    /// <remarks>A retry after a shutdown inhibitor's refusal in the same boot is the same attempt, and keeps when the
    /// wait began: the refusal came before the unlock, so no reboot was tried. So is a request asked again after one
    /// that was never answered in the same boot.</remarks>
    /// <param name="bootId">The boot being asked to end.</param>
    /// <param name="now">The wall clock.</param>
    /// <param name="monotonic">The boot's monotonic clock; null when not known (the wall clock is then used).</param>
    public AgentRecord WithRebootRequested(string bootId, DateTimeOffset now, TimeSpan? monotonic = null) => Reboot switch
    {
        { InhibitedSince: not null } inhibited when inhibited.FromBootId == bootId =>
            this with { Reboot = inhibited with { RequestedAt = now, Monotonic = monotonic }, Drained = false, DrainStarted = null },
        // Asked in this boot and never answered (the process died in between): the same attempt, and its first ask
        // keeps bounding how long it may be asked again.
        { Accepted: false, Refusal: null } unanswered when unanswered.FromBootId == bootId =>
            this with { Drained = false, DrainStarted = null },
        _ => this with { Reboot = new RebootRequest((Reboot?.Attempts ?? 0) + 1, bootId, now, Monotonic: monotonic), Drained = false, DrainStarted = null },
    };

    /// <summary>Notes after the host accepted the reboot request.</summary>
    public AgentRecord WithRebootAccepted() =>
        Reboot is null ? this : this with { Reboot = Reboot with { Accepted = true, Refusal = null, InhibitedSince = null, InhibitedMonotonic = null } };

    /// <summary>Notes after the host refused to finalize, with its answer.</summary>
    public AgentRecord WithRebootRefused(string refusal) =>
        Reboot is null ? this : this with { Reboot = Reboot with { Accepted = false, Refusal = refusal, InhibitedSince = null, InhibitedMonotonic = null } };

    /// <summary>Notes after a shutdown inhibitor refused to let the host finalize; the wait began at the first such refusal.</summary>
    /// <param name="refusal">The host's answer.</param>
    /// <param name="now">The wall clock.</param>
    /// <param name="monotonic">The boot's monotonic clock; null when not known (the wall clock is then used).</param>
    public AgentRecord WithRebootInhibited(string refusal, DateTimeOffset now, TimeSpan? monotonic = null) => Reboot is null
        ? this
        : this with
        {
            Reboot = Reboot with
            {
                Accepted = false,
                Refusal = refusal,
                InhibitedSince = Reboot.InhibitedSince ?? now,
                InhibitedMonotonic = Reboot.InhibitedSince is null ? monotonic : Reboot.InhibitedMonotonic,
            },
        };

    /// <summary>Notes after giving up.</summary>
    public AgentRecord WithFailure(RecordedFailure failure) => this with { Failure = failure };

    /// <summary>Notes after the health gate answered <paramref name="verdict"/> on <paramref name="image"/> at <paramref name="at"/>, asked
    /// with the node's Ready condition <paramref name="sawReady"/>; the gate's start is kept while the note is about the same image and boot.</summary>
    public AgentRecord WithHealth(Digest image, HealthVerdict verdict, Moment at, NodeReadyCondition? sawReady = null)
    {
        ArgumentNullException.ThrowIfNull(at);
        var started = Health is { } note && note.IsAbout(image, at.BootId) ? note.Started : at;
        return this with { Health = new HealthNote(image, started, at.Wall, verdict, sawReady) };
    }

    /// <summary>Notes just before asking for the rollback: a request asked again in the same boot keeps the first.</summary>
    public AgentRecord WithRollbackRequested(RollbackRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Rollback is { } asked && asked.FromBootId == request.FromBootId ? this : this with { Rollback = request };
    }

    /// <summary>Notes after the host accepted the rollback: the previous deployment boots next, and the reboot is asked for.</summary>
    public AgentRecord WithRollbackAccepted() => Rollback is null ? this : this with { Rollback = Rollback with { Accepted = true } };

    /// <summary>Notes after giving up on the target for good with <paramref name="failure"/>: <paramref name="rejected"/> is not staged again.</summary>
    public AgentRecord WithRejection(RecordedFailure failure, RejectedImage rejected) => this with { Failure = failure, Rejected = rejected };

    /// <summary>Notes once the node was seen carrying the rejected mark.</summary>
    public AgentRecord WithRejectionMarked() => Rejected is null ? this : this with { Rejected = Rejected with { Marked = true } };
}
