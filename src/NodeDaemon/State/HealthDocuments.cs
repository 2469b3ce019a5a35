using System.Text.Json.Serialization;
using NodeDaemon.Core.Agent;
using NodeDaemon.Core.Health;

namespace NodeDaemon.State;

/// <summary>The on-disk form of <see cref="HealthNote"/>: the verdict as a kind and its words.</summary>
internal sealed record HealthDocument(
    [property: JsonPropertyName("image")] string? Image,
    [property: JsonPropertyName("started")] MomentDocument? Started,
    [property: JsonPropertyName("checkedAt")] DateTimeOffset CheckedAt,
    [property: JsonPropertyName("verdict")] string? Verdict,
    [property: JsonPropertyName("words")] string? Words,
    [property: JsonPropertyName("sawReady")] ReadyDocument? SawReady = null)
{
    /// <summary>The file form of <paramref name="note"/>.</summary>
    public static HealthDocument From(HealthNote note) => note.Verdict switch
    {
        HealthVerdict.Waiting waiting => New(note, "Waiting", waiting.Message),
        HealthVerdict.Failed failed => New(note, "Failed", failed.Reason),
        _ => New(note, "Passed", null),
    };

    /// <summary>The domain form; throws <see cref="FormatException"/> naming the bad field.</summary>
    public HealthNote ToNote() => new(
        AgentRecordDocument.DigestOf(Image, "health.image"),
        Started?.ToMoment("health.started") ?? throw new FormatException("health.started is missing"),
        CheckedAt,
        Verdict switch
        {
            "Passed" => new HealthVerdict.Passed(),
            "Waiting" => new HealthVerdict.Waiting(Words ?? ""),
            // A failure with no words still failed: it must lead to the rollback, not to a second look.
            "Failed" => new HealthVerdict.Failed(Words ?? "the health gate failed"),
            _ => throw new FormatException($"health.verdict: unknown verdict \"{Verdict}\""),
        },
        SawReady?.ToCondition());

    private static HealthDocument New(HealthNote note, string verdict, string? words) =>
        new(note.Image.ToString(), new MomentDocument(note.Started.Wall, note.Started.BootId, note.Started.Monotonic.Ticks), note.CheckedAt, verdict, words,
            note.SawReady is { } ready ? new ReadyDocument(ready.Status, ready.LastHeartbeatTime, ready.LastTransitionTime, ready.Reason, ready.Message) : null);
}

/// <summary>The on-disk form of <see cref="NodeReadyCondition"/>: what the gate's last ask saw, so a restart does not ask again for nothing.</summary>
internal sealed record ReadyDocument(
    [property: JsonPropertyName("status")] string? Status,
    [property: JsonPropertyName("lastHeartbeatTime")] DateTimeOffset? LastHeartbeatTime,
    [property: JsonPropertyName("lastTransitionTime")] DateTimeOffset? LastTransitionTime,
    [property: JsonPropertyName("reason")] string? Reason,
    [property: JsonPropertyName("message")] string? Message)
{
    /// <summary>The domain form; a missing status reads as empty (it then differs from any condition the kubelet posts: one ask more).</summary>
    public NodeReadyCondition ToCondition() => new(Status ?? "", LastHeartbeatTime, LastTransitionTime, Reason, Message);
}

/// <summary>The on-disk form of <see cref="RollbackRequest"/>.</summary>
internal sealed record RollbackDocument(
    [property: JsonPropertyName("from")] string? FromDigest,
    [property: JsonPropertyName("fromReference")] string? FromReference,
    [property: JsonPropertyName("reason")] string? Reason,
    [property: JsonPropertyName("previousChecksum")] string? PreviousChecksum,
    [property: JsonPropertyName("previousDigest")] string? PreviousDigest,
    [property: JsonPropertyName("fromBootId")] string? FromBootId,
    [property: JsonPropertyName("requestedAt")] DateTimeOffset RequestedAt,
    [property: JsonPropertyName("monotonicTicks")] long? MonotonicTicks,
    [property: JsonPropertyName("accepted")] bool Accepted)
{
    /// <summary>The file form of <paramref name="request"/>.</summary>
    public static RollbackDocument From(RollbackRequest request) => new(request.From.ToString(), request.FromReference, request.Reason,
        request.PreviousChecksum, request.PreviousDigest?.ToString(), request.FromBootId, request.RequestedAt, request.Monotonic?.Ticks, request.Accepted);

    /// <summary>The domain form; throws <see cref="FormatException"/> naming the bad field.</summary>
    /// <remarks>Every field is needed: without the previous commit the rollback boot could not be checked, without the boot id
    /// any boot would look like the one asked to end.</remarks>
    public RollbackRequest ToRequest() => new(
        AgentRecordDocument.DigestOf(FromDigest, "rollback.from"),
        string.IsNullOrEmpty(FromReference) ? throw new FormatException("rollback.fromReference is missing") : FromReference,
        Reason ?? throw new FormatException("rollback.reason is missing"),
        string.IsNullOrEmpty(PreviousChecksum) ? throw new FormatException("rollback.previousChecksum is missing") : PreviousChecksum,
        PreviousDigest is null ? null : AgentRecordDocument.DigestOf(PreviousDigest, "rollback.previousDigest"),
        AgentRecordDocument.BootId(FromBootId, "rollback.fromBootId"),
        RequestedAt,
        MonotonicTicks is { } ticks ? AgentRecordDocument.Monotonic(ticks, "rollback.monotonicTicks") : null,
        Accepted);
}

/// <summary>The on-disk form of <see cref="RejectedImage"/>.</summary>
internal sealed record RejectedDocument(
    [property: JsonPropertyName("reference")] string? Reference,
    [property: JsonPropertyName("digest")] string? Digest,
    [property: JsonPropertyName("marked")] bool Marked)
{
    /// <summary>The domain form; throws <see cref="FormatException"/> naming the bad field.</summary>
    public RejectedImage ToRejected() => new(
        string.IsNullOrEmpty(Reference) ? throw new FormatException("rejected.reference is missing") : Reference,
        AgentRecordDocument.DigestOf(Digest, "rejected.digest"),
        Marked);
}
