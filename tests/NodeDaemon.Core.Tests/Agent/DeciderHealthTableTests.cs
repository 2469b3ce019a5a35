using NodeDaemon.Core.Agent;
using NodeDaemon.Core.Health;
using NodeDaemon.Core.Images;
using NodeDaemon.Core.Options;
using static NodeDaemon.Core.Tests.Agent.Build;

namespace NodeDaemon.Core.Tests.Agent;

/// <summary>The health gate after our reboot, the automatic rollback, a fallback of the host's own, and the rejected image.</summary>
public sealed class DeciderHealthTableTests
{
    /// <summary>One row: a named situation, the state it must lead to, and the one action.</summary>
    public sealed record Row(string Name, AgentInputs Inputs, AgentState State, AgentAction Action)
    {
        public override string ToString() => Name;
    }

    private static readonly NodeDaemonOptions s_gate = new() { Health = new HealthOptions { Timeout = TimeSpan.FromMinutes(20), KeepCordonAfterRollback = false } };
    private static readonly NodeDaemonOptions s_keep = new() { Health = new HealthOptions { Timeout = TimeSpan.FromMinutes(20), KeepCordonAfterRollback = true } };
    private const string Reason = "kubelet not Ready 600 s after boot";
    private static readonly string s_bad = Pull(D2);
    private static Digest Dg(string d) => Digest.Parse(d);
    private static readonly RejectedImage s_rejected = new(Pull(D2), Dg(D2));

    /// <summary>Notes after our reboot into D2 from boot-0 (we are in boot-1 now).</summary>
    private static AgentRecord Rebooted() => Record(D2).WithStaged(Dg(D2)) with { Reboot = new RebootRequest(1, "boot-0", Now.AddMinutes(-5), Accepted: true) };

    private static AgentRecord Gate(HealthVerdict verdict, string image = "", DateTimeOffset? checkedAt = null, string bootId = BootId) =>
        Rebooted() with { Health = new HealthNote(Dg(image.Length == 0 ? D2 : image), new Moment(Now.AddMinutes(-3), bootId, TimeSpan.FromMinutes(2)), checkedAt ?? Now.AddMinutes(-1), verdict) };

    private static RollbackRequest Asked(string bootId = "boot-0", bool accepted = true, DateTimeOffset? at = null) =>
        new(Dg(D2), Pull(D2), Reason, Deployment(D1).Checksum, Dg(D1), bootId, at ?? Now.AddMinutes(-2), Accepted: accepted);

    private static AgentRecord RolledBack(string bootId = "boot-0", bool accepted = true, DateTimeOffset? at = null) =>
        Gate(new HealthVerdict.Failed(Reason), bootId: bootId) with { Rollback = Asked(bootId, accepted, at) };

    private static AgentInputs OnTarget(AgentRecord record, NodeDaemonOptions? options = null, bool rollbackThere = true, string? notesUnwritable = null) =>
        Inputs(desired: s_bad, booted: Deployment(D2), cordonedByUs: true, record: record, options: options ?? s_gate,
            rollback: rollbackThere ? Deployment(D1) : null, notesUnwritable: notesUnwritable);

    private static AgentInputs BackOnPrevious(AgentRecord record, NodeDaemonOptions? options = null, string booted = "") =>
        Inputs(desired: s_bad, booted: Deployment(booted.Length == 0 ? D1 : booted), cordonedByUs: true, record: record, options: options ?? s_gate,
            rollback: Deployment(D2), bootId: "boot-2");

    private static AgentAction.RecordFailure Fails(string reason, AgentState failedIn, bool keepCordon) =>
        new(new RecordedFailure(reason, failedIn, keepCordon), s_rejected);

    private static readonly Row[] s_rows =
    [
        // The gate after our reboot into the target: cordon and slot kept, the phase Verifying.
        new("gate off: verified at once, as before the gate", OnTarget(Rebooted(), GateOff(new NodeDaemonOptions())), AgentState.Verifying, new AgentAction.CompleteVerification(Dg(D2))),
        new("gate on, not asked yet: ask", OnTarget(Rebooted()), AgentState.Verifying, new AgentAction.CheckHealth(Dg(D2))),
        new("gate waiting, asked 2 s ago, the node unchanged: wait for the fallback recheck", OnTarget(Gate(new HealthVerdict.Waiting("waiting for kubelet Ready"), checkedAt: Now.AddSeconds(-2))),
            AgentState.Verifying, new AgentAction.Wait(Now.AddSeconds(-2) + GateRules.Recheck)),
        new("gate waiting, asked 2 s ago, the kubelet posted Ready since: ask now", OnTarget(Gate(new HealthVerdict.Waiting("waiting for kubelet Ready"), checkedAt: Now.AddSeconds(-2))) with
            {
                NodeReady = new NodeReadyCondition("True", Now.AddSeconds(-1), Now.AddSeconds(-1), "KubeletReady", "kubelet is posting ready status"),
            },
            AgentState.Verifying, new AgentAction.CheckHealth(Dg(D2))),
        new("gate waiting, recheck due: ask again", OnTarget(Gate(new HealthVerdict.Waiting("waiting for kubelet Ready"))), AgentState.Verifying, new AgentAction.CheckHealth(Dg(D2))),
        new("gate waiting, the wall clock stepped back: ask now", OnTarget(Gate(new HealthVerdict.Waiting("waiting"), checkedAt: Now.AddMinutes(5))), AgentState.Verifying, new AgentAction.CheckHealth(Dg(D2))),
        new("a note of another boot is not this boot's answer", OnTarget(Gate(new HealthVerdict.Passed(), bootId: "boot-0")), AgentState.Verifying, new AgentAction.CheckHealth(Dg(D2))),
        new("gate passed: verified (then uncordon, Done, the slot handed on)", OnTarget(Gate(new HealthVerdict.Passed())), AgentState.Verifying, new AgentAction.CompleteVerification(Dg(D2))),
        new("gate failed: roll back to the previous deployment", OnTarget(Gate(new HealthVerdict.Failed(Reason))), AgentState.Rebooting,
            new AgentAction.Rollback(Dg(D2), Pull(D2), Reason, Deployment(D1).Checksum, Dg(D1))),
        new("gate failed, no previous deployment: Degraded on the target, cordon kept", OnTarget(Gate(new HealthVerdict.Failed(Reason)), rollbackThere: false), AgentState.Degraded,
            Fails($"health gate failed on {s_bad}: {Reason}; there is no previous deployment to roll back to", AgentState.Verifying, keepCordon: true)),
        new("gate failed, notes unwritable: no rollback the notes do not know", OnTarget(Gate(new HealthVerdict.Failed(Reason)), notesUnwritable: "No space left on device"), AgentState.Verifying,
            new AgentAction.Wait(Now + Decider.NotesRetry)),

        // The rollback under way (kill -9 at every step).
        new("rollback noted, never answered (kill -9 before the answer): ask again", OnTarget(RolledBack(BootId, accepted: false)), AgentState.Rebooting,
            new AgentAction.Rollback(Dg(D2), Pull(D2), Reason, Deployment(D1).Checksum, Dg(D1))),
        new("rollback accepted, same boot: wait for the reboot, never a second rollback", OnTarget(RolledBack(BootId)), AgentState.Rebooting,
            new AgentAction.Wait(Now.AddMinutes(-2) + NodeDaemonOptionsDefaults.RebootRequestTimeout)),
        new("rollback accepted, the reboot never came: Degraded on the target, cordon kept", OnTarget(RolledBack(BootId, at: Now.AddHours(-1))), AgentState.Degraded,
            Fails($"health gate failed on {s_bad}: {Reason}; rolling back failed: the reboot asked at {Now.AddHours(-1):u} did not happen", AgentState.Rebooting, keepCordon: true)),
        new("after the rollback boot: the gate on the previous image", BackOnPrevious(RolledBack()), AgentState.Verifying, new AgentAction.CheckHealth(Dg(D1))),
        new("previous image healthy: Degraded, rolled back, rejected, cordon given back", BackOnPrevious(RolledBack() with { Health = new HealthNote(Dg(D1), new Moment(Now, "boot-2", TimeSpan.Zero), Now, new HealthVerdict.Passed()) }),
            AgentState.Degraded, Fails($"rolled back from {s_bad}: {Reason}", AgentState.Verifying, keepCordon: false)),
        new("previous image healthy, keepCordonAfterRollback: the cordon stays", BackOnPrevious(RolledBack() with { Health = new HealthNote(Dg(D1), new Moment(Now, "boot-2", TimeSpan.Zero), Now, new HealthVerdict.Passed()) }, s_keep),
            AgentState.Degraded, Fails($"rolled back from {s_bad}: {Reason}", AgentState.Verifying, keepCordon: true)),
        new("previous image fails the gate too: Degraded, cordon kept", BackOnPrevious(RolledBack() with { Health = new HealthNote(Dg(D1), new Moment(Now, "boot-2", TimeSpan.Zero), Now, new HealthVerdict.Failed("cni not Ready")) }),
            AgentState.Degraded, Fails($"rolled back from {s_bad}: {Reason}; the previous image fails the health gate too: cni not Ready", AgentState.Verifying, keepCordon: true)),
        new("the rollback boot came back on the target: Degraded, never a second rollback", BackOnPrevious(RolledBack(), booted: D2), AgentState.Degraded,
            Fails($"health gate failed on {s_bad}: {Reason}; after the rollback the host booted it again", AgentState.Rebooting, keepCordon: true)),
        new("rolled back and given up, our cordon: give it back", BackOnPrevious(RolledBack().WithRejection(new($"rolled back from {s_bad}: {Reason}", AgentState.Verifying), s_rejected)),
            AgentState.Degraded, new AgentAction.Uncordon()),
        new("rolled back, cordon kept for an admin: hold", BackOnPrevious(RolledBack().WithRejection(new($"rolled back from {s_bad}: {Reason}", AgentState.Verifying, KeepCordon: true), s_rejected)),
            AgentState.Degraded, new AgentAction.None()),

        // A fallback the daemon did not ask for.
        new("fallback: the target left as the rollback deployment (greenboot's rollback)", Inputs(desired: s_bad, cordonedByUs: true, record: Rebooted(), rollback: Deployment(D2), options: s_gate), AgentState.Degraded,
            Fails($"the host fell back to {Pull(D1)} after our reboot into {s_bad}, without a rollback of ours (a bootloader or greenboot fallback); it is not tried again", AgentState.Rebooting, keepCordon: false)),
        new("fallback: the target still the default (boot counting in the bootloader)", Inputs(desired: s_bad, cordonedByUs: true, record: Rebooted(), defaultDeployment: Deployment(D2), options: s_gate), AgentState.Degraded,
            Fails($"the host fell back to {Pull(D1)} after our reboot into {s_bad}, without a rollback of ours (a bootloader or greenboot fallback); it is not tried again", AgentState.Rebooting, keepCordon: false)),
        new("the target gone after our reboot (stage lost): the retry budget, as before", Inputs(desired: s_bad, cordonedByUs: true, record: Rebooted(), rollback: Deployment(D3)), AgentState.Staging, new AgentAction.Uncordon()),

        // The rejected image.
        new("rejected, notes about it forgotten (desired removed and set again): never staged", Inputs(desired: s_bad, record: AgentRecord.Empty with { Rejected = s_rejected with { Marked = true } }, rejectedMark: Pull(D2)),
            AgentState.Degraded, new AgentAction.None()),
        new("rejected under a mirror's name: never staged", Inputs(desired: "mirror.local/os@" + D2, record: Record(D2).WithRejection(new("rolled back", AgentState.Verifying), s_rejected with { Marked = true }), rejectedMark: Pull(D2)),
            AgentState.Degraded, new AgentAction.None()),
        new("the node's mark alone (state directory wiped): never staged", Inputs(desired: s_bad, rejectedMark: Pull(D2)), AgentState.Degraded, new AgentAction.None()),
        new("a mark for another digest does not hold the desired one back", Inputs(desired: Pull(D3), rejectedMark: Pull(D2)), AgentState.Staging, StageOf(Pull(D3))),
        new("mark written, not yet noted: note it", BackOnPrevious(RolledBack().WithRejection(new("rolled back", AgentState.Verifying, KeepCordon: true), s_rejected)) with { Node = new(s_bad, false, true, true, Pool, false, Pull(D2)) },
            AgentState.Degraded, new AgentAction.NoteRejectionMarked()),
        new("the admin removed the mark: forget it, and the image may be tried again", Inputs(desired: s_bad, record: Record(D2).WithRejection(new("rolled back", AgentState.Verifying), s_rejected with { Marked = true })),
            AgentState.Staging, new AgentAction.ForgetRejection()),
        new("the admin points the node at a fixed image: forget the rejection", Inputs(desired: Pull(D3), record: Record(D2).WithRejection(new("rolled back", AgentState.Verifying), s_rejected with { Marked = true }), rejectedMark: Pull(D2)),
            AgentState.Staging, new AgentAction.ForgetRejection()),
        new("nothing desired: the rejection is kept, and nothing else to forget", Inputs(record: AgentRecord.Empty with { Rejected = s_rejected with { Marked = true } }, rejectedMark: Pull(D2)),
            AgentState.Idle, new AgentAction.None()),
    ];

    public static TheoryData<Row> Rows()
    {
        var data = new TheoryData<Row>();
        foreach (var row in s_rows)
        {
            data.Add(row);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void Decides(Row row)
    {
        var decision = Decider.Decide(row.Inputs);

        Assert.Equal(row.State, decision.State);
        Assert.Equal(row.Action, decision.Action);
    }

    [Fact]
    public void While_the_gate_waits_the_message_is_the_gates()
    {
        var decision = Decider.Decide(OnTarget(Gate(new HealthVerdict.Waiting("waiting for kubelet Ready (2 min left)"), checkedAt: Now.AddSeconds(-1))));

        Assert.Equal("waiting for kubelet Ready (2 min left)", decision.Message);
        Assert.Equal(AgentCondition.Working, decision.Condition);
    }

    [Fact]
    public void The_rollback_reason_names_the_image_and_the_gate_reason()
    {
        var decision = Decider.Decide(BackOnPrevious(RolledBack() with { Health = new HealthNote(Dg(D1), new Moment(Now, "boot-2", TimeSpan.Zero), Now, new HealthVerdict.Passed()) }));

        Assert.Equal($"rolled back from {s_bad}: {Reason}", decision.Reason);
        Assert.Equal(AgentCondition.Degraded, decision.Condition);
    }

    [Fact]
    public void The_mark_is_written_with_the_rejection_and_removed_when_another_digest_is_desired()
    {
        var rejected = Record(D2).WithRejection(new("rolled back", AgentState.Verifying), s_rejected);

        Assert.Equal(Pull(D2), Decider.Decide(BackOnPrevious(rejected)).RejectedImage);
        Assert.Equal("", Decider.Decide(Inputs(desired: Pull(D3), rejectedMark: Pull(D2))).RejectedImage);
        Assert.Null(Decider.Decide(Inputs(desired: s_bad, rejectedMark: Pull(D2))).RejectedImage);
        Assert.Null(Decider.Decide(Inputs(desired: Pull(D3))).RejectedImage);
    }
}
