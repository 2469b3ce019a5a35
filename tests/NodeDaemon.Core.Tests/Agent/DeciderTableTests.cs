using NodeDaemon.Core.Agent;
using NodeDaemon.Core.Health;
using NodeDaemon.Core.Images;
using NodeDaemon.Core.Options;
using static NodeDaemon.Core.Tests.Agent.Build;

namespace NodeDaemon.Core.Tests.Agent;

/// <summary>The decision table: one row per situation and per resume point after a crash or a reboot.</summary>
public sealed class DeciderTableTests
{
    /// <summary>One row: a named situation, the state it must lead to, and the one action.</summary>
    public sealed record Row(string Name, AgentInputs Inputs, AgentState State, AgentAction Action)
    {
        public override string ToString() => Name;
    }

    private static readonly NodeDaemonOptions s_fleet = new() { Fleet = new FleetOptions { Enabled = true } };
    private static readonly NodeDaemonOptions s_tags = new() { AllowTags = true };
    private static readonly NodeDaemonOptions s_gate = new() { Health = new HealthOptions { Timeout = TimeSpan.FromMinutes(20) } };
    private static Digest Dg(string d) => Digest.Parse(d);

    private static AgentRecord Staged(string d) => Record(d).WithStaged(Dg(d));

    private static AgentRecord Rebooted(string d, int attempts, string fromBoot = "boot-0", DateTimeOffset? at = null, bool accepted = true, string? refusal = null) =>
        Staged(d) with { Reboot = new RebootRequest(attempts, fromBoot, at ?? Now.AddMinutes(-30), accepted, refusal) };

    private static readonly Row[] s_rows =
    [
        // Nothing desired.
        new("nothing desired, nothing held", Inputs(), AgentState.Idle, new AgentAction.None()),
        new("nothing desired, our cordon left", Inputs(cordonedByUs: true), AgentState.Idle, new AgentAction.Uncordon()),
        new("nothing desired, slot held", Inputs(slotHeld: true), AgentState.Idle, new AgentAction.ReleaseSlot()),
        new("nothing desired, our locked stage left", Inputs(staged: Deployment(D2), record: Staged(D2)), AgentState.Idle, new AgentAction.CleanupStaged()),
        new("nothing desired, someone else's stage is not ours to drop", Inputs(staged: Deployment(D2)), AgentState.Idle, new AgentAction.None()),
        new("nothing desired, old notes", Inputs(record: Staged(D2)), AgentState.Idle, new AgentAction.ResetRecord()),

        // Bad input never acts, but gives back what we hold.
        new("malformed desired image", Inputs(desired: "quay.io/example/os@sha256:XYZ"), AgentState.Degraded, new AgentAction.None()),
        new("malformed desired image while we hold a cordon", Inputs(desired: "not an image", cordonedByUs: true), AgentState.Degraded, new AgentAction.Uncordon()),
        new("tag without digest refused", Inputs(desired: Repo + ":stable"), AgentState.Degraded, new AgentAction.None()),
        new("tag allowed: stage it", Inputs(desired: Repo + ":stable", options: s_tags), AgentState.Staging, StageOf(Repo + ":stable")),
        new("tag allowed: staged under that tag counts", Inputs(desired: Repo + ":stable", staged: Deployment(D2, Repo + ":stable"), options: s_tags), AgentState.Draining, new AgentAction.Cordon()),
        new("tag allowed: booted under that tag counts", Inputs(desired: Repo + ":stable", booted: Deployment(D2, Repo + ":stable"), options: s_tags), AgentState.Idle, new AgentAction.None()),

        // Booted on the desired image.
        new("up to date", Inputs(desired: Pull(D1)), AgentState.Idle, new AgentAction.None()),
        new("same digest under another name is up to date", Inputs(desired: "registry.local:5000/mirror/os@" + D1), AgentState.Idle, new AgentAction.None()),
        new("after our reboot: record success before lifting our cordon", Inputs(desired: Pull(D1), cordonedByUs: true, record: Rebooted(D1, 1)), AgentState.Verifying, new AgentAction.CompleteVerification(Dg(D1))),
        new("after our reboot, cordon lifted: record success", Inputs(desired: Pull(D1), record: Rebooted(D1, 1)), AgentState.Verifying, new AgentAction.CompleteVerification(Dg(D1))),
        new("after our reboot, an admin's cordon is never lifted", Inputs(desired: Pull(D1), unschedulable: true, record: Rebooted(D1, 1)), AgentState.Verifying, new AgentAction.CompleteVerification(Dg(D1))),
        new("verified, slot still held", Inputs(desired: Pull(D1), slotHeld: true), AgentState.Idle, new AgentAction.ReleaseSlot()),
        new("verified, our stale stage left", Inputs(desired: Pull(D1), staged: Deployment(D2), record: Record(D1) with { LockedStage = Dg(D2) }), AgentState.Idle, new AgentAction.CleanupStaged()),
        new("up to date with our cordon (crash before uncordon)", Inputs(desired: Pull(D1), cordonedByUs: true), AgentState.Idle, new AgentAction.Uncordon()),

        // Staging.
        new("new image: stage it", Inputs(desired: Pull(D2)), AgentState.Staging, StageOf(Pull(D2))),
        new("new image, signed policy", Inputs(desired: Pull(D2), options: new() { SignaturePolicy = SignaturePolicy.Verified }), AgentState.Staging, StageOf(Pull(D2), verified: true)),
        new("ostree-remote host moves to a container image", Inputs(desired: Pull(D2), booted: OstreeRemote), AgentState.Staging, StageOf(Pull(D2))),
        new("another image staged: stage the desired one", Inputs(desired: Pull(D2), staged: Deployment(D3)), AgentState.Staging, StageOf(Pull(D2))),
        new("our stage replaced by another client mid-drain: cordon back first, then stage again", Inputs(desired: Pull(D2), staged: Deployment(D3), record: Staged(D2).WithDrained(), cordonedByUs: true), AgentState.Staging, new AgentAction.Uncordon()),
        new("desired changed mid-drain: uncordon before pulling", Inputs(desired: Pull(D2), staged: Deployment(D3), cordonedByUs: true), AgentState.Staging, new AgentAction.Uncordon()),
        new("desired changed while waiting with a slot: give it back", Inputs(desired: Pull(D2), staged: Deployment(D3), slotHeld: true), AgentState.Staging, new AgentAction.ReleaseSlot()),
        new("stage failed: wait for the retry", Inputs(desired: Pull(D2), record: Record(D2).WithStageFailure("manifest unknown", Now, new())), AgentState.Staging, new AgentAction.Wait(Now.AddSeconds(30))),
        new("stage failed: retry when due", Inputs(desired: Pull(D2), record: Record(D2).WithStageFailure("manifest unknown", Now.AddMinutes(-5), new())), AgentState.Staging, StageOf(Pull(D2))),
        new("stage failed too often: give up", Inputs(desired: Pull(D2), record: Record(D2) with { StageFailures = 3, LastStageError = "manifest unknown" }), AgentState.Degraded,
            new AgentAction.RecordFailure(new($"staging {Pull(D2)} failed 3 time(s): manifest unknown", AgentState.Staging))),

        // Staged: slot, cordon, drain, finalize.
        new("staged (crash after staging): never stage again", Inputs(desired: Pull(D2), staged: Deployment(D2), record: Staged(D2)), AgentState.Draining, new AgentAction.Cordon()),
        new("fleet on, pulls bounded: a staging slot before the pull (more rows: StagingSlotTableTests)", Inputs(desired: Pull(D2), options: s_fleet with { Fleet = s_fleet.Fleet with { MaxStaging = "2" } }), AgentState.Staging, new AgentAction.AcquireStagingSlot(Key(D2))),
        new("staged with a staging slot held: give it back first", Inputs(desired: Pull(D2), staged: Deployment(D2), record: Staged(D2), options: s_fleet) with { StagingSlotHeld = true }, AgentState.WaitingForSlot, new AgentAction.ReleaseStagingSlot()),
        new("staged, fleet on: take a slot first", Inputs(desired: Pull(D2), staged: Deployment(D2), record: Staged(D2), options: s_fleet), AgentState.WaitingForSlot, new AgentAction.AcquireSlot(Dg(D2))),
        new("staged, slot held for this digest: cordon", Inputs(desired: Pull(D2), staged: Deployment(D2), record: Staged(D2), options: s_fleet, slotHeld: true, slotDigest: D2), AgentState.Draining, new AgentAction.Cordon()),

        // Fleet: the slot must name the staged digest before anything is disrupted.
        new("slot held for another digest (desired changed while held): ask again before cordoning", Inputs(desired: Pull(D2), staged: Deployment(D2), record: Staged(D2), options: s_fleet, slotHeld: true, slotDigest: D3), AgentState.WaitingForSlot, new AgentAction.AcquireSlot(Dg(D2))),
        new("slot held, its digest not confirmed (remembered from before a restart, or handed over): ask again before cordoning", Inputs(desired: Pull(D2), staged: Deployment(D2), record: Staged(D2), options: s_fleet, slotHeld: true), AgentState.WaitingForSlot, new AgentAction.AcquireSlot(Dg(D2))),
        new("cordoned, slot for another digest: ask again before draining", Inputs(desired: Pull(D2), staged: Deployment(D2), record: Staged(D2), options: s_fleet, cordonedByUs: true, slotHeld: true, slotDigest: D3), AgentState.Draining, new AgentAction.AcquireSlot(Dg(D2))),
        new("drained, restarted (slot's digest not confirmed): ask again, still reported as draining (the node is cordoned for this update)", Inputs(desired: Pull(D2), staged: Deployment(D2), record: Staged(D2).WithDrained(), options: s_fleet, cordonedByUs: true, slotHeld: true), AgentState.Draining, new AgentAction.AcquireSlot(Dg(D2))),
        new("cordoned, slot for this digest: drain", Inputs(desired: Pull(D2), staged: Deployment(D2), record: Staged(D2), options: s_fleet, cordonedByUs: true, slotHeld: true, slotDigest: D2), AgentState.Draining, new AgentAction.Drain()),
        new("drained, slot for this digest: finalize", Inputs(desired: Pull(D2), staged: Deployment(D2), record: Staged(D2).WithDrained(), options: s_fleet, cordonedByUs: true, slotHeld: true, slotDigest: D2), AgentState.Rebooting, new AgentAction.Finalize(Dg(D2))),
        new("pool full: wait for the recheck, no request", Inputs(desired: Pull(D2), staged: Deployment(D2), record: Staged(D2), options: s_fleet, slotRefusal: new("waiting for a slot: all 2 slots are held", Dg(D2), Now.AddSeconds(20))), AgentState.WaitingForSlot, new AgentAction.Wait(Now.AddSeconds(20))),
        new("pool full, recheck due: ask again", Inputs(desired: Pull(D2), staged: Deployment(D2), record: Staged(D2), options: s_fleet, slotRefusal: new("waiting for a slot: all 2 slots are held", Dg(D2), Now)), AgentState.WaitingForSlot, new AgentAction.AcquireSlot(Dg(D2))),
        new("a refusal for another digest does not hold back", Inputs(desired: Pull(D2), staged: Deployment(D2), record: Staged(D2), options: s_fleet, slotRefusal: new("waiting for a slot", Dg(D3), Now.AddSeconds(20))), AgentState.WaitingForSlot, new AgentAction.AcquireSlot(Dg(D2))),
        new("not in a pool: wait, never disrupt", Inputs(desired: Pull(D2), staged: Deployment(D2), record: Staged(D2), options: s_fleet, pool: null), AgentState.WaitingForSlot, new AgentAction.None()),
        new("not in a pool any more, slot held for this digest: go on", Inputs(desired: Pull(D2), staged: Deployment(D2), record: Staged(D2), options: s_fleet, pool: null, slotHeld: true, slotDigest: D2), AgentState.Draining, new AgentAction.Cordon()),
        new("the empty pool value is a pool", Inputs(desired: Pull(D2), staged: Deployment(D2), record: Staged(D2), options: s_fleet, pool: ""), AgentState.WaitingForSlot, new AgentAction.AcquireSlot(Dg(D2))),
        new("fleet off: the pool label is not needed", Inputs(desired: Pull(D2), staged: Deployment(D2), record: Staged(D2), pool: null), AgentState.Draining, new AgentAction.Cordon()),
        new("fleet on, window closed: no slot is asked for", Inputs(desired: Pull(D2), staged: Deployment(D2), record: Staged(D2), options: s_fleet, windowOpen: false), AgentState.Staged, new AgentAction.Wait(Now + Decider.WindowRecheck)),
        new("fleet, booted after our reboot with our cordon: verify, keep cordon and slot", Inputs(desired: Pull(D2), booted: Deployment(D2), cordonedByUs: true, record: Rebooted(D2, 1), options: s_fleet, slotHeld: true), AgentState.Verifying, new AgentAction.CompleteVerification(Dg(D2))),
        new("fleet, verified with our cordon: lift it, keep the slot", Inputs(desired: Pull(D2), booted: Deployment(D2), cordonedByUs: true, options: s_fleet, slotHeld: true), AgentState.Idle, new AgentAction.Uncordon()),
        new("fleet, verified and uncordoned: release the slot", Inputs(desired: Pull(D2), booted: Deployment(D2), options: s_fleet, slotHeld: true), AgentState.Idle, new AgentAction.ReleaseSlot()),
        new("fleet, given up mid-drain: our stage goes first", Inputs(desired: Pull(D2), staged: Deployment(D2), cordonedByUs: true, record: Staged(D2).WithFailure(new("drain timed out", AgentState.Draining)), options: s_fleet, slotHeld: true, slotDigest: D2), AgentState.Degraded, new AgentAction.CleanupStaged()),
        new("fleet, given up mid-drain, stage dropped: cordon back", Inputs(desired: Pull(D2), cordonedByUs: true, record: Staged(D2).WithFailure(new("drain timed out", AgentState.Draining)), options: s_fleet, slotHeld: true, slotDigest: D2), AgentState.Degraded, new AgentAction.Uncordon()),
        new("staged, window closed: hold", Inputs(desired: Pull(D2), staged: Deployment(D2), record: Staged(D2), windowOpen: false), AgentState.Staged, new AgentAction.Wait(Now + Decider.WindowRecheck)),
        new("window closed: staging goes on", Inputs(desired: Pull(D2), windowOpen: false, nextWindowOpening: Now.AddHours(3)), AgentState.Staging, StageOf(Pull(D2))),
        new("staged, window closed: wake when it opens", Inputs(desired: Pull(D2), staged: Deployment(D2), record: Staged(D2), windowOpen: false, nextWindowOpening: Now.AddHours(3)), AgentState.Staged, new AgentAction.Wait(Now.AddHours(3))),
        new("staged, fleet on, window closed: no slot taken", Inputs(desired: Pull(D2), staged: Deployment(D2), record: Staged(D2), options: s_fleet, windowOpen: false, nextWindowOpening: Now.AddHours(3)), AgentState.Staged, new AgentAction.Wait(Now.AddHours(3))),
        new("slot taken, window closed before the cordon: give the slot back", Inputs(desired: Pull(D2), staged: Deployment(D2), record: Staged(D2), options: s_fleet, slotHeld: true, windowOpen: false), AgentState.Staged, new AgentAction.ReleaseSlot()),
        new("admin's cordon, window closed: no drain", Inputs(desired: Pull(D2), staged: Deployment(D2), record: Staged(D2), unschedulable: true, windowOpen: false), AgentState.Staged, new AgentAction.Wait(Now + Decider.WindowRecheck)),
        new("admin's cordon, drained, window closed: reboot all the same", Inputs(desired: Pull(D2), staged: Deployment(D2), record: Staged(D2).WithDrained(), unschedulable: true, windowOpen: false), AgentState.Rebooting, new AgentAction.Finalize(Dg(D2))),
        new("drained under our cordon, window closed: reboot all the same", Inputs(desired: Pull(D2), staged: Deployment(D2), record: Staged(D2).WithDrained(), cordonedByUs: true, windowOpen: false), AgentState.Rebooting, new AgentAction.Finalize(Dg(D2))),
        new("window closed mid-drain: finish the drain", Inputs(desired: Pull(D2), staged: Deployment(D2), record: Staged(D2), windowOpen: false, cordonedByUs: true), AgentState.Draining, new AgentAction.Drain()),
        new("cordoned (crash during drain): drain again", Inputs(desired: Pull(D2), staged: Deployment(D2), record: Staged(D2), cordonedByUs: true), AgentState.Draining, new AgentAction.Drain()),
        new("admin's cordon: drain without cordoning", Inputs(desired: Pull(D2), staged: Deployment(D2), record: Staged(D2), unschedulable: true), AgentState.Draining, new AgentAction.Drain()),
        new("drained: finalize our locked stage", Inputs(desired: Pull(D2), staged: Deployment(D2), record: Staged(D2).WithDrained(), cordonedByUs: true), AgentState.Rebooting, new AgentAction.Finalize(Dg(D2))),
        new("drained, stage without our note (crash mid-stage): finalize it", Inputs(desired: Pull(D2), staged: Deployment(D2), record: Record(D2).WithDrained(), cordonedByUs: true), AgentState.Rebooting, new AgentAction.Finalize(Dg(D2))),

        // Around the reboot.
        new("finalized, same boot (crash before the reboot): wait, never finalize twice", Inputs(desired: Pull(D2), staged: Deployment(D2), cordonedByUs: true, record: Rebooted(D2, 1, BootId, Now.AddMinutes(-1))), AgentState.Rebooting, new AgentAction.Wait(Now.AddMinutes(-1) + NodeDaemonOptionsDefaults.RebootRequestTimeout)),
        new("finalize unanswered, same boot (crash between note and answer): drain check, then finalize again", Inputs(desired: Pull(D2), staged: Deployment(D2), cordonedByUs: true, record: Rebooted(D2, 1, BootId, Now.AddMinutes(-1), accepted: false)), AgentState.Draining, new AgentAction.Drain()),
        new("finalize refused once: try again", Inputs(desired: Pull(D2), staged: Deployment(D2), cordonedByUs: true, record: Rebooted(D2, 1, BootId, Now, accepted: false, refusal: "Expected staged base checksum X")), AgentState.Draining, new AgentAction.Drain()),
        new("finalize refused twice: give up with the host's answer", Inputs(desired: Pull(D2), staged: Deployment(D2), cordonedByUs: true, record: Rebooted(D2, 2, BootId, Now, accepted: false, refusal: "Expected staged base checksum X")), AgentState.Degraded,
            new AgentAction.RecordFailure(new($"gave up on {Pull(D2)} after 2 reboot(s): the host refused to finalize: Expected staged base checksum X", AgentState.Rebooting))),
        new("finalize unanswered, last attempt (kill -9 between note and answer, maxAttempts 1): the same attempt again", Inputs(desired: Pull(D2), staged: Deployment(D2), cordonedByUs: true,
            record: Rebooted(D2, 1, BootId, Now.AddMinutes(-1), accepted: false), options: new NodeDaemonOptions { Reboot = new RebootOptions { MaxAttempts = 1 } }), AgentState.Draining, new AgentAction.Drain()),
        new("finalize unanswered twice, within the request timeout: the same attempt again", Inputs(desired: Pull(D2), staged: Deployment(D2), cordonedByUs: true, record: Rebooted(D2, 2, BootId, Now, accepted: false)), AgentState.Draining, new AgentAction.Drain()),
        new("finalize unanswered twice, past the request timeout: give up", Inputs(desired: Pull(D2), staged: Deployment(D2), cordonedByUs: true, record: Rebooted(D2, 2, BootId, Now.AddMinutes(-11), accepted: false)), AgentState.Degraded,
            new AgentAction.RecordFailure(new($"gave up on {Pull(D2)} after 2 reboot(s): the host never answered the reboot request", AgentState.Rebooting))),
        new("finalized, reboot never came: drain check again, then a second attempt", Inputs(desired: Pull(D2), staged: Deployment(D2), cordonedByUs: true, record: Rebooted(D2, 1, BootId, Now.AddMinutes(-11))), AgentState.Draining, new AgentAction.Drain()),
        new("finalized twice, reboot never came: give up", Inputs(desired: Pull(D2), staged: Deployment(D2), cordonedByUs: true, record: Rebooted(D2, 2, BootId, Now.AddMinutes(-11))), AgentState.Degraded,
            new AgentAction.RecordFailure(new($"gave up on {Pull(D2)} after 2 reboot(s): the reboot requested at {Now.AddMinutes(-11):u} did not happen", AgentState.Rebooting))),
        new("came back on the old image: retry, pulling without the cordon", Inputs(desired: Pull(D2), cordonedByUs: true, record: Rebooted(D2, 1)), AgentState.Staging, new AgentAction.Uncordon()),

        // The health gate (the full table: DeciderHealthTableTests).
        new("gate on, booted after our reboot: ask the gate", Inputs(desired: Pull(D2), booted: Deployment(D2), cordonedByUs: true, record: Rebooted(D2, 1), options: s_gate), AgentState.Verifying, new AgentAction.CheckHealth(Dg(D2))),
        new("gate failed: roll back", Inputs(desired: Pull(D2), booted: Deployment(D2), rollback: Deployment(D1), cordonedByUs: true, options: s_gate,
            record: Rebooted(D2, 1) with { Health = new HealthNote(Dg(D2), new Moment(Now, BootId, TimeSpan.Zero), Now, new HealthVerdict.Failed("kubelet not Ready")) }),
            AgentState.Rebooting, new AgentAction.Rollback(Dg(D2), Pull(D2), "kubelet not Ready", Deployment(D1).Checksum, Dg(D1))),
        new("rejected mark seen on the node: note it", Inputs(desired: Pull(D2), rejectedMark: Pull(D2), record: Record(D2).WithRejection(new("rolled back", AgentState.Verifying), new RejectedImage(Pull(D2), Dg(D2)))),
            AgentState.Degraded, new AgentAction.NoteRejectionMarked()),
        new("another digest desired after a rejection: forget it", Inputs(desired: Pull(D3), record: Record(D2).WithRejection(new("rolled back", AgentState.Verifying), new RejectedImage(Pull(D2), Dg(D2)))),
            AgentState.Staging, new AgentAction.ForgetRejection()),
        new("came back on the old image, cordon lifted: stage again", Inputs(desired: Pull(D2), record: Rebooted(D2, 1)), AgentState.Staging, StageOf(Pull(D2))),
        new("came back on the old image twice: give up, no third reboot", Inputs(desired: Pull(D2), cordonedByUs: true, record: Rebooted(D2, 2)), AgentState.Degraded,
            new AgentAction.RecordFailure(new($"gave up on {Pull(D2)} after 2 reboot(s): the host booted {Pull(D1)} instead (the staged deployment was lost or finalization failed)", AgentState.Rebooting))),

        // Given up.
        new("failed: our cordon is given back", Inputs(desired: Pull(D2), cordonedByUs: true, record: Record(D2).WithFailure(new("drain timed out", AgentState.Draining))), AgentState.Degraded, new AgentAction.Uncordon()),
        new("failed: slot is given back", Inputs(desired: Pull(D2), slotHeld: true, record: Record(D2).WithFailure(new("drain timed out", AgentState.Draining))), AgentState.Degraded, new AgentAction.ReleaseSlot()),
        new("failed, stayCordoned policy: keep it", Inputs(desired: Pull(D2), cordonedByUs: true, record: Record(D2).WithFailure(new("drain timed out", AgentState.Draining, KeepCordon: true))), AgentState.Degraded, new AgentAction.None()),
        new("failed, nothing held: stay Degraded", Inputs(desired: Pull(D2), record: Staged(D2).WithFailure(new("drain timed out", AgentState.Draining))), AgentState.Degraded, new AgentAction.None()),

        // Degraded leaves no stage behind: a finalization may have unlocked it, and an unplanned reboot would boot it undrained.
        new("failed with our stage left: drop it", Inputs(desired: Pull(D2), staged: Deployment(D2), record: Staged(D2).WithFailure(new("drain timed out", AgentState.Draining))), AgentState.Degraded, new AgentAction.CleanupStaged()),
        new("reboot never came, given up: drop the unlocked stage before the cordon", Inputs(desired: Pull(D2), staged: Deployment(D2), cordonedByUs: true,
            record: Rebooted(D2, 2, BootId, Now.AddMinutes(-11)).WithFailure(new("gave up", AgentState.Rebooting))), AgentState.Degraded, new AgentAction.CleanupStaged()),
        new("finalized without our lock note, given up: the target's stage is ours", Inputs(desired: Pull(D2), staged: Deployment(D2), cordonedByUs: true,
            record: Record(D2).WithFailure(new("gave up", AgentState.Rebooting))), AgentState.Degraded, new AgentAction.CleanupStaged()),
        new("failed, stayCordoned, our stage left: drop it, keep the cordon", Inputs(desired: Pull(D2), staged: Deployment(D2), cordonedByUs: true,
            record: Staged(D2).WithFailure(new("drain timed out", AgentState.Draining, KeepCordon: true))), AgentState.Degraded, new AgentAction.CleanupStaged()),
        new("failed, someone else's stage is left alone", Inputs(desired: Pull(D2), staged: Deployment(D3), record: Record(D2).WithFailure(new("drain timed out", AgentState.Draining))), AgentState.Degraded, new AgentAction.None()),
        new("desired set back to the booted image mid-drain: lift our cordon", Inputs(desired: Pull(D1), staged: Deployment(D2), cordonedByUs: true, record: Staged(D2)), AgentState.Idle, new AgentAction.Uncordon()),
        new("desired set back to the booted image: the stage for the abandoned image is ours to drop", Inputs(desired: Pull(D1), staged: Deployment(D2), record: Staged(D2)), AgentState.Idle, new AgentAction.CleanupStaged()),

        // A stale mark (kubectl uncordon leaves it): removed, so an admin's later cordon is never taken for ours.
        new("stale mark, up to date: remove it", Inputs(desired: Pull(D1), staleMark: true), AgentState.Idle, new AgentAction.Uncordon()),
        new("stale mark, nothing desired: remove it", Inputs(staleMark: true), AgentState.Idle, new AgentAction.Uncordon()),
        new("stale mark while Degraded with stayCordoned (an admin lifted the kept cordon): remove it", Inputs(desired: Pull(D2),
            record: Record(D2).WithFailure(new("drain timed out", AgentState.Draining, KeepCordon: true)), staleMark: true), AgentState.Degraded, new AgentAction.Uncordon()),
        new("stale mark before a pull: remove it first", Inputs(desired: Pull(D2), staleMark: true), AgentState.Staging, new AgentAction.Uncordon()),
        new("stale mark, staged and due: our cordon rewrites it", Inputs(desired: Pull(D2), staged: Deployment(D2), record: Staged(D2), staleMark: true), AgentState.Draining, new AgentAction.Cordon()),
        new("an admin's cordon (no mark of ours) is never ours: window closed, no drain", Inputs(desired: Pull(D2), staged: Deployment(D2), record: Staged(D2), unschedulable: true, windowOpen: false), AgentState.Staged, new AgentAction.Wait(Now + Decider.WindowRecheck)),

        // The notes cannot be written (a full disk): the node is given back, nothing more is disrupted.
        new("notes unwritable after our reboot: verify in memory", Inputs(desired: Pull(D1), cordonedByUs: true, record: Rebooted(D1, 1), notesUnwritable: "No space left on device"), AgentState.Verifying, new AgentAction.CompleteVerification(Dg(D1))),
        new("notes unwritable, verified in memory: the node is given back", Inputs(desired: Pull(D1), cordonedByUs: true, record: Record(D1), notesUnwritable: "No space left on device"), AgentState.Idle, new AgentAction.Uncordon()),
        new("notes unwritable, drained: no finalize, cordon given back", Inputs(desired: Pull(D2), staged: Deployment(D2), record: Staged(D2).WithDrained(), cordonedByUs: true, notesUnwritable: "No space left on device"), AgentState.Degraded, new AgentAction.Uncordon()),
        new("notes unwritable, nothing held: try again in a while", Inputs(desired: Pull(D2), staged: Deployment(D2), record: Staged(D2), notesUnwritable: "No space left on device"), AgentState.Degraded, new AgentAction.Wait(Now + Decider.NotesRetry)),
        new("notes unwritable while the accepted reboot is under way: wait for it", Inputs(desired: Pull(D2), staged: Deployment(D2), cordonedByUs: true, record: Rebooted(D2, 1, BootId, Now.AddMinutes(-1)), notesUnwritable: "No space left on device"), AgentState.Rebooting,
            new AgentAction.Wait(Now.AddMinutes(-1) + NodeDaemonOptionsDefaults.RebootRequestTimeout)),
        new("notes unwritable after a refused finalize: drop the maybe unlocked stage first", Inputs(desired: Pull(D2), staged: Deployment(D2), cordonedByUs: true, record: Rebooted(D2, 1, BootId, Now, accepted: false, refusal: "x"), notesUnwritable: "No space left on device"), AgentState.Degraded, new AgentAction.CleanupStaged()),

        // Waits on the boot's monotonic clock (a stepped wall clock changes nothing), and no instant from the future is trusted.
        new("clock stepped back an hour while rebooting: the wait ends at the real deadline", Inputs(desired: Pull(D2), staged: Deployment(D2), cordonedByUs: true,
            record: Rebooted(D2, 1, BootId, Now.AddHours(1).AddMinutes(-2)) with { Reboot = new RebootRequest(1, BootId, Now.AddHours(1).AddMinutes(-2), true, Monotonic: TimeSpan.FromMinutes(100)) },
            monotonic: TimeSpan.FromMinutes(102)), AgentState.Rebooting, new AgentAction.Wait(Now.AddMinutes(8))),
        new("clock stepped back an hour, the real deadline passed: late, second attempt", Inputs(desired: Pull(D2), staged: Deployment(D2), cordonedByUs: true,
            record: Staged(D2) with { Reboot = new RebootRequest(1, BootId, Now.AddHours(1).AddMinutes(-11), true, Monotonic: TimeSpan.FromMinutes(100)) },
            monotonic: TimeSpan.FromMinutes(111)), AgentState.Draining, new AgentAction.Drain()),
        new("clock stepped forward an hour: the wait still runs to the real deadline", Inputs(desired: Pull(D2), staged: Deployment(D2), cordonedByUs: true,
            record: Staged(D2) with { Reboot = new RebootRequest(1, BootId, Now.AddHours(-1).AddMinutes(-2), true, Monotonic: TimeSpan.FromMinutes(100)) },
            monotonic: TimeSpan.FromMinutes(102)), AgentState.Rebooting, new AgentAction.Wait(Now.AddMinutes(8))),
        new("request from the wall clock's future, no monotonic reading: counted as late, never waited on", Inputs(desired: Pull(D2), staged: Deployment(D2), cordonedByUs: true,
            record: Rebooted(D2, 1, BootId, Now.AddHours(1))), AgentState.Draining, new AgentAction.Drain()),
        new("request dated year 9999: no overflow, counted as late", Inputs(desired: Pull(D2), staged: Deployment(D2), cordonedByUs: true,
            record: Rebooted(D2, 1, BootId, DateTimeOffset.MaxValue)), AgentState.Draining, new AgentAction.Drain()),
        new("stage backoff, clock stepped back an hour: the retry comes after the real delay", Inputs(desired: Pull(D2),
            record: Record(D2).WithStageFailure("manifest unknown", Now.AddHours(1), new(), new Moment(Now.AddHours(1), BootId, TimeSpan.FromMinutes(100))),
            monotonic: TimeSpan.FromMinutes(100) + TimeSpan.FromSeconds(10)), AgentState.Staging, new AgentAction.Wait(Now.AddSeconds(20))),
        new("stage backoff, clock stepped back, real delay passed: stage", Inputs(desired: Pull(D2),
            record: Record(D2).WithStageFailure("manifest unknown", Now.AddHours(1), new(), new Moment(Now.AddHours(1), BootId, TimeSpan.FromMinutes(100))),
            monotonic: TimeSpan.FromMinutes(101)), AgentState.Staging, StageOf(Pull(D2))),
        new("stage backoff noted in another boot: the wall clock answers", Inputs(desired: Pull(D2),
            record: Record(D2).WithStageFailure("manifest unknown", Now.AddSeconds(-10), new(), new Moment(Now.AddSeconds(-10), "boot-0", TimeSpan.FromMinutes(100))),
            monotonic: TimeSpan.FromMinutes(1)), AgentState.Staging, new AgentAction.Wait(Now.AddSeconds(20))),
        new("stage retry dated year 9999: due, never waited on", Inputs(desired: Pull(D2), record: Record(D2) with { StageFailures = 1, NextStageAttemptAt = DateTimeOffset.MaxValue, LastStageError = "x" }),
            AgentState.Staging, StageOf(Pull(D2))),
        new("failed on another image: a new desired image starts clean", Inputs(desired: Pull(D3), record: Record(D2).WithFailure(new("x", AgentState.Draining))), AgentState.Staging, StageOf(Pull(D3))),

        // Paused.
        new("paused: staging still goes on", Inputs(desired: Pull(D2), paused: true), AgentState.Staging, StageOf(Pull(D2))),
        new("paused and staged: hold before the cordon", Inputs(desired: Pull(D2), staged: Deployment(D2), record: Staged(D2), paused: true), AgentState.Paused, new AgentAction.None()),
        new("paused mid-drain: give the cordon back", Inputs(desired: Pull(D2), staged: Deployment(D2), record: Staged(D2), paused: true, cordonedByUs: true), AgentState.Paused, new AgentAction.Uncordon()),
        new("paused while waiting with a slot: give it back", Inputs(desired: Pull(D2), staged: Deployment(D2), record: Staged(D2), paused: true, slotHeld: true), AgentState.Paused, new AgentAction.ReleaseSlot()),
        new("paused but up to date", Inputs(desired: Pull(D1), paused: true), AgentState.Idle, new AgentAction.None()),
    ];

    public static TheoryData<Row> Rows => new(s_rows);

    [Theory]
    [MemberData(nameof(Rows))]
    public void Decides(Row row)
    {
        var decision = Decider.Decide(row.Inputs);

        Assert.Equal(row.Action, decision.Action);
        Assert.Equal(row.State, decision.State);
        Assert.False(string.IsNullOrWhiteSpace(decision.Message));
        Assert.Equal(row.State == AgentState.Degraded, decision.Reason is not null);
    }

    [Fact]
    public void Waiting_for_the_window_says_when_it_opens_on_its_own_clock()
    {
        var options = new NodeDaemonOptions { Maintenance = new MaintenanceOptions { TimeZone = "Europe/Berlin" } };
        var opening = new DateTimeOffset(2026, 11, 28, 22, 30, 0, TimeSpan.FromHours(1));
        var now = opening.AddMinutes(-190);

        var decision = Decider.Decide(Inputs(desired: Pull(D2), staged: Deployment(D2), record: Staged(D2), options: options,
            now: now, windowOpen: false, nextWindowOpening: opening));

        Assert.Equal($"{Pull(D2)} is staged; waiting for the maintenance window (opens Sat 22:30 Europe/Berlin, in 3 h 10 min)", decision.Message);
        Assert.Equal(new AgentAction.Wait(opening), decision.Action);
    }

    [Fact]
    public void Done_is_never_reported_while_our_cordon_is_still_up_except_by_the_uncordons_own_write()
    {
        var cordoned = s_rows.Where(r => r.Inputs.Node.CordonedByUs).Select(r => Decider.Decide(r.Inputs)).ToList();

        // The uncordon's report rides in its PATCH (AgentLoop), so its Done appears with the cordon lifted.
        Assert.Contains(cordoned, d => d.Action is AgentAction.Uncordon && d.Condition == AgentCondition.Done);
        Assert.All(cordoned.Where(d => d.Action is not AgentAction.Uncordon), d => Assert.NotEqual(AgentCondition.Done, d.Condition));
        Assert.Equal(AgentCondition.Done, Decider.Decide(Inputs(desired: Pull(D1), slotHeld: true, options: s_fleet)).Condition);
    }

    [Theory]
    [InlineData("waiting for a slot: all 2 slots are held")]
    [InlineData("pool halted: 2 nodes Degraded on sha256:2222: node-c, node-d")]
    public void A_refusal_is_reported_with_the_answers_line_until_asked_again(string line)
    {
        var refusal = new SlotRefusal(line, Dg(D2), Now.AddSeconds(20));
        var waiting = Decider.Decide(Inputs(desired: Pull(D2), staged: Deployment(D2), record: Staged(D2), options: s_fleet, slotRefusal: refusal));
        var asking = Decider.Decide(Inputs(desired: Pull(D2), staged: Deployment(D2), record: Staged(D2), options: s_fleet, slotRefusal: refusal, now: Now.AddSeconds(20)));

        Assert.Equal(line, waiting.Message);
        Assert.Equal(line, asking.Message);
        Assert.Equal(AgentCondition.Working, waiting.Condition);
        Assert.Null(waiting.Reason);
    }

    [Fact]
    public void Not_in_a_pool_names_the_missing_label()
    {
        var options = new NodeDaemonOptions { Fleet = new FleetOptions { Enabled = true, PoolLabel = "example.com/pool" } };

        var decision = Decider.Decide(Inputs(desired: Pull(D2), staged: Deployment(D2), record: Staged(D2), options: options, pool: null));

        Assert.Contains("not in a pool: label example.com/pool missing; fleet coordination needs it", decision.Message, StringComparison.Ordinal);
        Assert.Equal(AgentCondition.Working, decision.Condition);
    }

    [Fact]
    public void Every_state_is_reached_by_some_row()
    {
        var reached = s_rows.Select(r => r.State).ToHashSet();
        var expected = Enum.GetValues<AgentState>().Where(s => s != AgentState.Starting);

        Assert.All(expected, s => Assert.Contains(s, reached));
    }

    [Fact]
    public void Every_action_kind_is_produced_by_some_row()
    {
        var produced = s_rows.Select(r => r.Action.GetType()).ToHashSet();
        var kinds = typeof(AgentAction).GetNestedTypes().Where(t => t.IsSubclassOf(typeof(AgentAction)));

        Assert.All(kinds, k => Assert.Contains(k, produced));
    }

    [Theory]
    [InlineData("quay.io/example/os@sha256:XYZ")]
    [InlineData("quay.io/example/os:stable; reboot")]
    [InlineData("")]
    public void Bad_desired_image_reason_carries_the_parser_message(string desired)
    {
        var decision = Decider.Decide(Inputs(desired: desired));

        if (desired.Length == 0)
        {
            Assert.Equal(AgentState.Idle, decision.State);
            return;
        }

        Assert.Equal(AgentState.Degraded, decision.State);
        Assert.StartsWith("desired image is invalid: ", decision.Reason, StringComparison.Ordinal);
        Assert.True(ImageReference.TryParse(desired, out _, out var parserMessage) is false);
        Assert.Contains(parserMessage, decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Degraded_reason_keeps_the_rpm_ostree_error_verbatim()
    {
        const string error = "error: Fetching manifest: failed to invoke method OpenImage: reading manifest stable in quay.io/example/os: manifest unknown: manifest unknown";
        var record = Record(D2) with { StageFailures = 3, LastStageError = error };

        var decision = Decider.Decide(Inputs(desired: Pull(D2), record: record));

        Assert.EndsWith(error, decision.Reason, StringComparison.Ordinal);
    }
}
