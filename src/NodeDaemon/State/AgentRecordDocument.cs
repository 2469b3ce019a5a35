using System.Text.Json.Serialization;
using NodeDaemon.Core.Agent;
using NodeDaemon.Core.Images;

namespace NodeDaemon.State;

/// <summary>The on-disk form of <see cref="AgentRecord"/>: plain strings and numbers, versioned.</summary>
/// <remarks>Kept apart from the domain record so that the file format can stay stable while the record evolves,
/// and so that a bad value in the file is a validation error here, not an exception deep in the agent.</remarks>
internal sealed record AgentRecordDocument
{
    /// <summary>The format version; bumped only with a migration.</summary>
    public const int CurrentVersion = 1;

    [JsonPropertyName("version")] public int Version { get; init; } = CurrentVersion;
    [JsonPropertyName("target")] public string? Target { get; init; }
    [JsonPropertyName("lockedStage")] public string? LockedStage { get; init; }
    [JsonPropertyName("stageFailures")] public int StageFailures { get; init; }
    [JsonPropertyName("nextStageAttemptAt")] public DateTimeOffset? NextStageAttemptAt { get; init; }
    [JsonPropertyName("stageFailedAt")] public MomentDocument? StageFailedAt { get; init; }
    [JsonPropertyName("lastStageError")] public string? LastStageError { get; init; }
    [JsonPropertyName("drained")] public bool Drained { get; init; }
    [JsonPropertyName("drainStarted")] public MomentDocument? DrainStarted { get; init; }

    /// <summary>The drain's start as notes before 0.1.0's monotonic clock kept it: the wall clock only. Read, never written.</summary>
    [JsonPropertyName("drainStartedAt")] public DateTimeOffset? DrainStartedAt { get; init; }
    [JsonPropertyName("reboot")] public RebootDocument? Reboot { get; init; }
    [JsonPropertyName("failure")] public FailureDocument? Failure { get; init; }
    [JsonPropertyName("health")] public HealthDocument? Health { get; init; }
    [JsonPropertyName("rollback")] public RollbackDocument? Rollback { get; init; }
    [JsonPropertyName("rejected")] public RejectedDocument? Rejected { get; init; }

    /// <summary>The file form of <paramref name="record"/>.</summary>
    public static AgentRecordDocument From(AgentRecord record) => new()
    {
        Target = record.Target,
        LockedStage = record.LockedStage?.ToString(),
        StageFailures = record.StageFailures,
        NextStageAttemptAt = record.NextStageAttemptAt,
        StageFailedAt = record.StageFailedAt is { } at ? new MomentDocument(at.Wall, at.BootId, at.Monotonic.Ticks) : null,
        LastStageError = record.LastStageError,
        Drained = record.Drained,
        DrainStarted = record.DrainStarted is { } started ? new MomentDocument(started.Wall, started.BootId, started.Monotonic.Ticks) : null,
        Reboot = record.Reboot is { } r
            ? new RebootDocument(r.Attempts, r.FromBootId, r.RequestedAt, r.Accepted, r.Refusal, r.Monotonic?.Ticks, r.InhibitedSince, r.InhibitedMonotonic?.Ticks)
            : null,
        Failure = record.Failure is { } f ? new FailureDocument(f.Reason, f.FailedIn.ToString(), f.KeepCordon) : null,
        Health = record.Health is { } h ? HealthDocument.From(h) : null,
        Rollback = record.Rollback is { } rb ? RollbackDocument.From(rb) : null,
        Rejected = record.Rejected is { } rj ? new RejectedDocument(rj.Reference, rj.Digest.ToString(), rj.Marked) : null,
    };

    /// <summary>The domain record; throws <see cref="FormatException"/> naming the bad field.</summary>
    /// <remarks>Every field is checked: a negative count would allow unlimited retries, a missing boot id would make
    /// any boot look like the one asked to end. Times from the future are accepted here; the decision never waits on
    /// one (it measures waits on the boot's monotonic clock, and counts an instant from the future as long past).</remarks>
    public AgentRecord ToRecord()
    {
        if (Version != CurrentVersion)
        {
            throw new FormatException($"version {Version} is not supported (this build reads {CurrentVersion})");
        }

        Digest? locked = null;
        if (LockedStage is not null)
        {
            locked = Digest.TryParse(LockedStage, out var digest, out var error) ? digest : throw new FormatException($"lockedStage: {error}");
        }

        RecordedFailure? failure = null;
        if (Failure is { } f)
        {
            failure = Enum.TryParse<AgentState>(f.FailedIn, ignoreCase: false, out var state) && Enum.IsDefined(state) && !char.IsAsciiDigit(f.FailedIn[0])
                ? new RecordedFailure(f.Reason ?? throw new FormatException("failure.reason is missing"), state, f.KeepCordon)
                : throw new FormatException($"failure.failedIn: unknown state \"{f.FailedIn}\"");
        }

        return new AgentRecord
        {
            Target = Target is null || Target.Length > 0 ? Target : throw new FormatException("target is empty"),
            LockedStage = locked,
            StageFailures = StageFailures >= 0 ? StageFailures : throw new FormatException($"stageFailures is negative ({StageFailures})"),
            NextStageAttemptAt = NextStageAttemptAt,
            StageFailedAt = StageFailedAt?.ToMoment("stageFailedAt"),
            LastStageError = LastStageError,
            Drained = Drained,
            DrainStarted = DrainStarted?.ToMoment("drainStarted") ?? (DrainStartedAt is { } wall ? Moment.WallOnly(wall) : null),
            Reboot = Reboot?.ToRequest(),
            Failure = failure,
            Health = Health?.ToNote(),
            Rollback = Rollback?.ToRequest(),
            Rejected = Rejected?.ToRejected(),
        };
    }

    /// <summary>A digest, checked: <paramref name="field"/> names it in the error.</summary>
    internal static Digest DigestOf(string? text, string field) =>
        Digest.TryParse(text, out var digest, out var error) ? digest : throw new FormatException($"{field}: {error}");

    /// <summary>A monotonic reading in ticks, checked: it counts from the boot, so it is never negative.</summary>
    internal static TimeSpan Monotonic(long ticks, string field) =>
        ticks >= 0 ? TimeSpan.FromTicks(ticks) : throw new FormatException($"{field} is negative ({ticks})");

    /// <summary>A boot id, checked: present and not blank, else no boot could be told apart from it.</summary>
    internal static string BootId(string? bootId, string field) =>
        !string.IsNullOrWhiteSpace(bootId) ? bootId : throw new FormatException($"{field} is missing");
}

/// <summary>The on-disk form of <see cref="RebootRequest"/>.</summary>
internal sealed record RebootDocument(
    [property: JsonPropertyName("attempts")] int Attempts,
    [property: JsonPropertyName("fromBootId")] string? FromBootId,
    [property: JsonPropertyName("requestedAt")] DateTimeOffset RequestedAt,
    [property: JsonPropertyName("accepted")] bool? Accepted,
    [property: JsonPropertyName("refusal")] string? Refusal,
    [property: JsonPropertyName("monotonicTicks")] long? MonotonicTicks = null,
    [property: JsonPropertyName("inhibitedSince")] DateTimeOffset? InhibitedSince = null,
    [property: JsonPropertyName("inhibitedMonotonicTicks")] long? InhibitedMonotonicTicks = null)
{
    /// <summary>The domain form; throws <see cref="FormatException"/> naming the bad field.</summary>
    public RebootRequest ToRequest() => new(
        // At least one: the note is written before the first request. Zero or fewer would allow unlimited reboots.
        Attempts >= 1 ? Attempts : throw new FormatException($"reboot.attempts must be at least 1 (it is {Attempts})"),
        AgentRecordDocument.BootId(FromBootId, "reboot.fromBootId"),
        RequestedAt,
        Accepted ?? false,
        Refusal,
        InhibitedSince,
        MonotonicTicks is { } ticks ? AgentRecordDocument.Monotonic(ticks, "reboot.monotonicTicks") : null,
        InhibitedMonotonicTicks is { } inhibited ? AgentRecordDocument.Monotonic(inhibited, "reboot.inhibitedMonotonicTicks") : null);
}

/// <summary>The on-disk form of <see cref="Moment"/>.</summary>
internal sealed record MomentDocument(
    [property: JsonPropertyName("wall")] DateTimeOffset Wall,
    [property: JsonPropertyName("bootId")] string? BootId,
    [property: JsonPropertyName("monotonicTicks")] long MonotonicTicks)
{
    /// <summary>The domain form; throws <see cref="FormatException"/> naming the bad field of <paramref name="field"/>.</summary>
    public Moment ToMoment(string field) =>
        new(Wall, AgentRecordDocument.BootId(BootId, field + ".bootId"), AgentRecordDocument.Monotonic(MonotonicTicks, field + ".monotonicTicks"));
}

/// <summary>The on-disk form of <see cref="RecordedFailure"/>.</summary>
internal sealed record FailureDocument(
    [property: JsonPropertyName("reason")] string? Reason,
    [property: JsonPropertyName("failedIn")] string FailedIn,
    [property: JsonPropertyName("keepCordon")] bool KeepCordon);

/// <summary>Source-generated serialization of the state file (Native AOT has no reflection).</summary>
[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(AgentRecordDocument))]
internal sealed partial class AgentRecordJsonContext : JsonSerializerContext;
