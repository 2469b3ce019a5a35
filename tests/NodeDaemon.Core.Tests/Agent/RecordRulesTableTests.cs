using NodeDaemon.Core.Agent;
using NodeDaemon.Core.Cluster;
using NodeDaemon.Core.Health;
using NodeDaemon.Core.Images;
using NodeDaemon.Core.Options;
using static NodeDaemon.Core.Tests.Agent.Build;

namespace NodeDaemon.Core.Tests.Agent;

/// <summary>The outcome table: what each executor outcome does to the notes, one named row per rule.</summary>
public sealed class RecordRulesTableTests
{
    /// <summary>One row: a named situation, the notes before, the outcome for a target, and the notes after.</summary>
    public sealed record Row(string Name, AgentRecord Before, string? Key, AgentOutcome Outcome, AgentRecord After, NodeDaemonOptions? Options = null)
    {
        public override string ToString() => Name;
    }

    private static readonly TimeSpan s_monotonic = TimeSpan.FromHours(3);
    private static readonly Moment s_at = new(Now, BootId, s_monotonic);
    private static readonly Moment s_earlier = new(Now.AddMinutes(-4), BootId, s_monotonic - TimeSpan.FromMinutes(4));
    private static readonly NodeDaemonOptions s_retry10 = new() { Staging = new StagingOptions { RetryDelay = TimeSpan.FromSeconds(10) } };
    private static readonly NodeDaemonOptions s_stayCordoned = new() { Drain = new DrainOptions { OnTimeout = DrainTimeoutPolicy.StayCordoned } };
    private static Digest Dg(string d) => Digest.Parse(d);
    private static readonly RejectedImage s_rejected = new(Pull(D2), Digest.Parse(D2));
    private static readonly RollbackRequest s_rollback = new(Digest.Parse(D2), Pull(D2), "kubelet not Ready", "c0abc", Digest.Parse(D1), BootId, Now, s_monotonic);

    private static AgentRecord Staged(string d) => Record(d).WithStaged(Dg(d));

    private static AgentRecord Failing(int failures) =>
        Record(D2) with { StageFailures = failures, NextStageAttemptAt = Now, StageFailedAt = s_earlier, LastStageError = "old" };

    private static AgentRecord Requested(string d, int attempts, bool accepted = false, string? refusal = null, DateTimeOffset? inhibitedSince = null) =>
        Staged(d) with { Reboot = new RebootRequest(attempts, BootId, Now.AddMinutes(-2), accepted, refusal, inhibitedSince, s_monotonic - TimeSpan.FromMinutes(2), inhibitedSince is null ? null : s_monotonic - TimeSpan.FromMinutes(5)) };

    private static readonly Row[] s_rows =
    [
        // Staging: the backoff lives here.
        new("staged: the lock is noted and earlier failures are cleared", Failing(2), Key(D2), new AgentOutcome.Staged(Dg(D2)), Staged(D2)),
        new("first stage failure: the next attempt waits the configured delay", Record(D2), Key(D2), new AgentOutcome.StageFailed("manifest unknown", s_at),
            Record(D2) with { StageFailures = 1, NextStageAttemptAt = Now.AddSeconds(10), StageFailedAt = s_at, LastStageError = "manifest unknown" }, s_retry10),
        new("third stage failure: the delay doubles per failure", Failing(2), Key(D2), new AgentOutcome.StageFailed("manifest unknown", s_at),
            Failing(2) with { StageFailures = 3, NextStageAttemptAt = Now.AddSeconds(40), StageFailedAt = s_at, LastStageError = "manifest unknown" }, s_retry10),
        new("tenth stage failure: the delay is capped at 64 times", Failing(9), Key(D2), new AgentOutcome.StageFailed("manifest unknown", s_at),
            Failing(9) with { StageFailures = 10, NextStageAttemptAt = Now.AddSeconds(640), StageFailedAt = s_at, LastStageError = "manifest unknown" }, s_retry10),

        // Cordon and drain: a fresh drain per cordon, the start kept across restarts, keep-cordon only on a timeout under stayCordoned.
        new("cordoning: a drain from before no longer counts", Staged(D2) with { Drained = true, DrainStarted = s_earlier }, Key(D2), new AgentOutcome.Cordoning(), Staged(D2)),
        new("drain started: its start is noted", Staged(D2), Key(D2), new AgentOutcome.DrainStarted(s_at), Staged(D2) with { DrainStarted = s_at }),
        new("drain resumed after a restart: the first start is kept", Staged(D2) with { DrainStarted = s_earlier }, Key(D2), new AgentOutcome.DrainStarted(s_at), Staged(D2) with { DrainStarted = s_earlier }),
        new("drained: noted, the start dropped", Staged(D2) with { DrainStarted = s_earlier }, Key(D2), new AgentOutcome.Drained(3, 4), Staged(D2) with { Drained = true }),
        new("drain timed out, onTimeout uncordon: given up, the cordon goes", Staged(D2), Key(D2), new AgentOutcome.DrainFailed(DrainOutcome.TimedOut, "2 pods left"),
            Staged(D2).WithFailure(new("drain timed out: 2 pods left", AgentState.Draining))),
        new("drain timed out, onTimeout stayCordoned: given up, the cordon kept for an admin", Staged(D2), Key(D2), new AgentOutcome.DrainFailed(DrainOutcome.TimedOut, "2 pods left"),
            Staged(D2).WithFailure(new("drain timed out: 2 pods left", AgentState.Draining, KeepCordon: true)), s_stayCordoned),
        new("drain refused under stayCordoned: only a timeout keeps the cordon", Staged(D2), Key(D2), new AgentOutcome.DrainFailed(DrainOutcome.Refused, "pod x has local storage"),
            Staged(D2).WithFailure(new("drain refused: pod x has local storage", AgentState.Draining)), s_stayCordoned),

        // Finalization: attempts counted, answers noted.
        new("reboot requested: the first attempt, and the drain is spent", Staged(D2).WithDrained(), Key(D2), new AgentOutcome.RebootRequested(BootId, s_monotonic),
            Staged(D2) with { Reboot = new RebootRequest(1, BootId, Now, Monotonic: s_monotonic) }),
        new("reboot requested again after a refusal: the next attempt", Requested(D2, 1, refusal: "no") with { Drained = true }, Key(D2), new AgentOutcome.RebootRequested(BootId, s_monotonic),
            Staged(D2) with { Reboot = new RebootRequest(2, BootId, Now, Monotonic: s_monotonic) }),
        new("reboot requested again under an inhibitor in the same boot: the same attempt, the wait's start kept", Requested(D2, 1, refusal: "blocked", inhibitedSince: Now.AddMinutes(-5)) with { Drained = true },
            Key(D2), new AgentOutcome.RebootRequested(BootId, s_monotonic),
            Requested(D2, 1, refusal: "blocked", inhibitedSince: Now.AddMinutes(-5)) with { Reboot = Requested(D2, 1, refusal: "blocked", inhibitedSince: Now.AddMinutes(-5)).Reboot! with { RequestedAt = Now, Monotonic = s_monotonic } }),
        new("finalize accepted: the reboot is under way", Requested(D2, 1), Key(D2), new AgentOutcome.FinalizeAccepted(), Requested(D2, 1, accepted: true)),
        new("finalize inhibited first: the wait starts now", Requested(D2, 1), Key(D2), new AgentOutcome.FinalizeInhibited("blocked", s_monotonic),
            Requested(D2, 1) with { Reboot = Requested(D2, 1).Reboot! with { Refusal = "blocked", InhibitedSince = Now, InhibitedMonotonic = s_monotonic } }),
        new("finalize inhibited again: the wait's start is kept", Requested(D2, 1, refusal: "blocked", inhibitedSince: Now.AddMinutes(-5)), Key(D2), new AgentOutcome.FinalizeInhibited("still blocked", s_monotonic),
            Requested(D2, 1, refusal: "still blocked", inhibitedSince: Now.AddMinutes(-5))),
        new("finalize refused: the host's answer is noted", Requested(D2, 1), Key(D2), new AgentOutcome.FinalizeRefused("already unlocked? no"), Requested(D2, 1, refusal: "already unlocked? no")),

        // The end of an update.
        new("verified: the notes start over for the target", Requested(D2, 2, accepted: true), Key(D2), new AgentOutcome.Verified(), Record(D2)),
        new("gave up: the failure is noted", Requested(D2, 2, accepted: true), Key(D2), new AgentOutcome.GaveUp(new("gave up", AgentState.Rebooting)),
            Requested(D2, 2, accepted: true) with { Failure = new("gave up", AgentState.Rebooting) }),
        new("forgotten: no notes at all", Requested(D2, 2, accepted: true), null, new AgentOutcome.Forgotten(), AgentRecord.Empty),

        // The health gate, the rollback and the rejected image.
        new("forgotten: the rejected image outlives the notes", Requested(D2, 2, accepted: true) with { Rejected = s_rejected }, null, new AgentOutcome.Forgotten(), AgentRecord.Empty with { Rejected = s_rejected }),
        new("verified: the rejected image is kept", Requested(D2, 2, accepted: true) with { Rejected = s_rejected }, Key(D2), new AgentOutcome.Verified(), Record(D2) with { Rejected = s_rejected }),
        new("a new target's notes keep the rejected image", Staged(D3) with { Rejected = s_rejected }, Key(D2), new AgentOutcome.Cordoning(), Record(D2) with { Rejected = s_rejected }),
        new("gate answered first: its start noted", Requested(D2, 1, accepted: true), Key(D2), new AgentOutcome.HealthChecked(Dg(D2), new HealthVerdict.Waiting("w"), s_at),
            Requested(D2, 1, accepted: true) with { Health = new HealthNote(Dg(D2), s_at, Now, new HealthVerdict.Waiting("w")) }),
        new("gate answered again in the same boot: the start kept", Requested(D2, 1, accepted: true) with { Health = new HealthNote(Dg(D2), s_earlier, Now.AddMinutes(-1), new HealthVerdict.Waiting("w")) }, Key(D2),
            new AgentOutcome.HealthChecked(Dg(D2), new HealthVerdict.Failed("f"), s_at),
            Requested(D2, 1, accepted: true) with { Health = new HealthNote(Dg(D2), s_earlier, Now, new HealthVerdict.Failed("f")) }),
        new("gate answered on another image (after the rollback): a new start", Requested(D2, 1, accepted: true) with { Health = new HealthNote(Dg(D2), s_earlier, Now.AddMinutes(-1), new HealthVerdict.Failed("f")) }, Key(D2),
            new AgentOutcome.HealthChecked(Dg(D1), new HealthVerdict.Passed(), s_at),
            Requested(D2, 1, accepted: true) with { Health = new HealthNote(Dg(D1), s_at, Now, new HealthVerdict.Passed()) }),
        new("rollback requested: noted", Requested(D2, 1, accepted: true), Key(D2), new AgentOutcome.RollbackRequested(s_rollback), Requested(D2, 1, accepted: true) with { Rollback = s_rollback }),
        new("rollback asked again in the same boot: the first request kept", Requested(D2, 1, accepted: true) with { Rollback = s_rollback }, Key(D2),
            new AgentOutcome.RollbackRequested(s_rollback with { RequestedAt = Now.AddMinutes(1) }), Requested(D2, 1, accepted: true) with { Rollback = s_rollback }),
        new("rollback accepted: noted", Requested(D2, 1, accepted: true) with { Rollback = s_rollback }, Key(D2), new AgentOutcome.RollbackAccepted(),
            Requested(D2, 1, accepted: true) with { Rollback = s_rollback with { Accepted = true } }),
        new("rollback refused: given up on the target, rejected, the cordon kept", Requested(D2, 1, accepted: true) with { Rollback = s_rollback }, Key(D2), new AgentOutcome.RollbackRefused("No rollback deployment found"),
            (Requested(D2, 1, accepted: true) with { Rollback = s_rollback }).WithRejection(
                new($"health gate failed on {Pull(D2)}: kubelet not Ready; the rollback was refused: No rollback deployment found", AgentState.Verifying, KeepCordon: true), s_rejected)),
        new("gave up with a rejection: both noted", Requested(D2, 1, accepted: true), Key(D2), new AgentOutcome.GaveUp(new("rolled back", AgentState.Verifying), s_rejected),
            Requested(D2, 1, accepted: true) with { Failure = new("rolled back", AgentState.Verifying), Rejected = s_rejected }),
        new("rejection marked: noted", Record(D2) with { Rejected = s_rejected }, Key(D2), new AgentOutcome.RejectionMarked(), Record(D2) with { Rejected = s_rejected with { Marked = true } }),
        new("rejection forgotten: the target's notes start over", Record(D2).WithRejection(new("rolled back", AgentState.Verifying), s_rejected), Key(D2), new AgentOutcome.RejectionForgotten(), Record(D2)),
        new("rejection forgotten with nothing desired: only it goes", AgentRecord.Empty with { Rejected = s_rejected }, null, new AgentOutcome.RejectionForgotten(), AgentRecord.Empty),

        // Notes about another target never leak into this one.
        new("an outcome for a new target starts from clean notes", Failing(2) with { Failure = new("old", AgentState.Staging) }, Key(D3), new AgentOutcome.Staged(Dg(D3)), Staged(D3)),
    ];

    public static TheoryData<Row> Rows() => [.. s_rows];

    [Theory]
    [MemberData(nameof(Rows))]
    public void Outcome_table(Row row)
    {
        var after = RecordRules.Apply(row.Before, row.Key, row.Outcome, row.Options ?? new NodeDaemonOptions(), Now);

        Assert.Equal(row.After, after);
    }

    [Fact]
    public void Every_outcome_has_a_row()
    {
        var outcomes = typeof(AgentOutcome).GetNestedTypes().Where(t => t.IsSubclassOf(typeof(AgentOutcome))).Select(t => t.Name);

        Assert.Equal(outcomes.Order(), s_rows.Select(r => r.Outcome.GetType().Name).Distinct().Order());
    }

    [Fact]
    public void An_outcome_about_a_target_needs_its_key()
    {
        Assert.Throws<ArgumentException>(() => RecordRules.Apply(Staged(D2), null, new AgentOutcome.Drained(1, 1), new NodeDaemonOptions(), Now));
    }

    [Theory]
    [InlineData("StageFailed", FailureClass.Stage)]
    [InlineData("DrainFailed", FailureClass.Drain)]
    [InlineData("FinalizeRefused", FailureClass.Finalize)]
    [InlineData("GaveUpInRebooting", FailureClass.Verify)]
    [InlineData("GaveUpInStaging", null)]
    [InlineData("FinalizeInhibited", null)]
    [InlineData("Drained", null)]
    public void Only_failures_count_and_each_once(string outcome, FailureClass? counted)
    {
        AgentOutcome value = outcome switch
        {
            "StageFailed" => new AgentOutcome.StageFailed("x", s_at),
            "DrainFailed" => new AgentOutcome.DrainFailed(DrainOutcome.Stopped, "x"),
            "FinalizeRefused" => new AgentOutcome.FinalizeRefused("x"),
            // Stage and drain failures were counted when they happened; a reboot that did not bring the image only now.
            "GaveUpInRebooting" => new AgentOutcome.GaveUp(new("x", AgentState.Rebooting)),
            "GaveUpInStaging" => new AgentOutcome.GaveUp(new("x", AgentState.Staging)),
            "FinalizeInhibited" => new AgentOutcome.FinalizeInhibited("x", null),
            _ => new AgentOutcome.Drained(1, 1),
        };

        Assert.Equal(counted, value.Counts);
    }
}
