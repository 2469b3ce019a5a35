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
    [JsonPropertyName("lastStageError")] public string? LastStageError { get; init; }
    [JsonPropertyName("drained")] public bool Drained { get; init; }
    [JsonPropertyName("drainStartedAt")] public DateTimeOffset? DrainStartedAt { get; init; }
    [JsonPropertyName("reboot")] public RebootDocument? Reboot { get; init; }
    [JsonPropertyName("failure")] public FailureDocument? Failure { get; init; }

    /// <summary>The file form of <paramref name="record"/>.</summary>
    public static AgentRecordDocument From(AgentRecord record) => new()
    {
        Target = record.Target,
        LockedStage = record.LockedStage?.ToString(),
        StageFailures = record.StageFailures,
        NextStageAttemptAt = record.NextStageAttemptAt,
        LastStageError = record.LastStageError,
        Drained = record.Drained,
        DrainStartedAt = record.DrainStartedAt,
        Reboot = record.Reboot is { } r ? new RebootDocument(r.Attempts, r.FromBootId, r.RequestedAt, r.Accepted, r.Refusal) : null,
        Failure = record.Failure is { } f ? new FailureDocument(f.Reason, f.FailedIn.ToString(), f.KeepCordon) : null,
    };

    /// <summary>The domain record; throws <see cref="FormatException"/> naming the bad field.</summary>
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
            failure = Enum.TryParse<AgentState>(f.FailedIn, ignoreCase: false, out var state)
                ? new RecordedFailure(f.Reason, state, f.KeepCordon)
                : throw new FormatException($"failure.failedIn: unknown state \"{f.FailedIn}\"");
        }

        return new AgentRecord
        {
            Target = Target,
            LockedStage = locked,
            StageFailures = StageFailures >= 0 ? StageFailures : throw new FormatException("stageFailures is negative"),
            NextStageAttemptAt = NextStageAttemptAt,
            LastStageError = LastStageError,
            Drained = Drained,
            DrainStartedAt = DrainStartedAt,
            Reboot = Reboot is { } r ? new RebootRequest(r.Attempts, r.FromBootId, r.RequestedAt, r.Accepted ?? false, r.Refusal) : null,
            Failure = failure,
        };
    }
}

/// <summary>The on-disk form of <see cref="RebootRequest"/>.</summary>
internal sealed record RebootDocument(
    [property: JsonPropertyName("attempts")] int Attempts,
    [property: JsonPropertyName("fromBootId")] string FromBootId,
    [property: JsonPropertyName("requestedAt")] DateTimeOffset RequestedAt,
    [property: JsonPropertyName("accepted")] bool? Accepted,
    [property: JsonPropertyName("refusal")] string? Refusal);

/// <summary>The on-disk form of <see cref="RecordedFailure"/>.</summary>
internal sealed record FailureDocument(
    [property: JsonPropertyName("reason")] string Reason,
    [property: JsonPropertyName("failedIn")] string FailedIn,
    [property: JsonPropertyName("keepCordon")] bool KeepCordon);

/// <summary>Source-generated serialization of the state file (Native AOT has no reflection).</summary>
[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(AgentRecordDocument))]
internal sealed partial class AgentRecordJsonContext : JsonSerializerContext;
