using NodeDaemon.Core.Host;
using NodeDaemon.Core.Agent;
using NodeDaemon.Core.Images;
using NodeDaemon.Core.Fleet;
using NodeDaemon.Core.Health;
using NodeDaemon.Core.Options;
using NodeDaemon.Core.Tests.Fleet;
using static NodeDaemon.Core.Tests.Agent.Build;

namespace NodeDaemon.Core.Tests.Agent;

/// <summary>A tiny model of node, host and clock that carries out decisions, with crashes and lost stages.</summary>
/// <remarks>
/// Only the node, the host, the persisted record and the slots survive a crash; the state machine and the agent's
/// memory of its slot's digest and last refusal do not. Cordon and uncordon are single patches (spec and mark
/// together), so the model makes them atomic, as the adapter must. With <see cref="Slots"/> set, slots are shared
/// with other worlds on the same fake, and a restart learns whether it holds one from it, as the daemon does.
/// </remarks>
internal sealed class ModelWorld
{
    private int _boots = 1;

    public string? Desired { get; set; }
    public bool Paused { get; set; }
    public bool Unschedulable { get; set; }
    public bool CordonedByUs { get; set; }
    public HostDeployment Booted { get; set; } = Deployment(D1);
    public HostDeployment? Staged { get; set; }
    public string BootId { get; private set; } = "boot-1";
    public AgentRecord Record { get; private set; } = AgentRecord.Empty;
    public DateTimeOffset Now { get; private set; } = Build.Now;
    /// <summary>The options; the health gate off unless a test turns it on (the rows from before the gate run without it).</summary>
    public NodeDaemonOptions Options { get => _options; init => _options = Build.Rows(value); }

    private readonly NodeDaemonOptions _options = Build.GateOff(new());

    /// <summary>What the health gate says about a booted digest (with the gate on); Passed for every image unless set.</summary>
    public Func<Digest, HealthVerdict> Gate { get; init; } = _ => new HealthVerdict.Passed();

    /// <summary>The deployment a rollback boots (the one booted before the last applied stage); null when none.</summary>
    public HostDeployment? Previous { get; private set; }

    /// <summary>A rollback was asked and the previous deployment boots next.</summary>
    public bool RollbackQueued { get; private set; }

    /// <summary>Rollbacks asked of the host.</summary>
    public int Rollbacks { get; private set; }

    /// <summary>The node's rejected-image annotation, as the decisions' reports wrote it.</summary>
    public string? RejectedMark { get; set; }
    /// <summary>What the agent knows about its slot, changed by the daemon's own rules (<see cref="SlotView"/>).</summary>
    public SlotView Slot { get; private set; } = SlotView.None;
    public bool SlotHeld => Slot.Held is not null;
    public string NodeName { get; init; } = "node-a";
    public string? Pool { get; set; } = Build.Pool;

    /// <summary>The pool's slots, shared between worlds; null: this world alone, and every request gets a slot.</summary>
    public FakeSlotClient? Slots { get; init; }

    /// <summary>How long a refused node waits before it asks again (the daemon adds jitter).</summary>
    public static readonly TimeSpan SlotRecheck = TimeSpan.FromSeconds(15);

    /// <summary>Stage attempts that fail before one succeeds.</summary>
    public int FailingStages { get; set; }

    /// <summary>Reboots that come back on the old image (the staged deployment is lost).</summary>
    public int LostStages { get; set; }

    public int Reboots { get; private set; }

    /// <summary>A drain finished since the node was last cordoned (by us, or made schedulable by an admin).</summary>
    public bool DrainedSinceCordon { get; set; }
    public int Drains { get; private set; }
    public int Cordons { get; private set; }
    public int Steps { get; private set; }
    public List<Decision> Decisions { get; } = [];

    public AgentInputs Inputs => new(
        new NodeView(Desired, Paused, Unschedulable, CordonedByUs, Pool, RejectedImage: RejectedMark),
        new HostView(Booted, Staged, BootId, RollbackQueued ? null : Previous, RollbackQueued ? Previous : null),
        Record,
        Options,
        Now,
        Slot.Held,
        SlotRefusal: Slot.Refusal);

    private SlotMember Member => new(NodeName, Pool ?? "");

    /// <summary>Decides and acts once; <paramref name="crashMidway"/> stops the action half-way and restarts the agent.</summary>
    public Decision Step(bool crashMidway = false)
    {
        var decision = Decider.Decide(Inputs);
        Decisions.Add(decision);
        Steps++;
        if (decision.RejectedImage is { } mark && decision.Report != ReportMode.None)
        {
            // The report (before the action, or with the cordon's write) carries the mark.
            RejectedMark = mark.Length == 0 ? null : mark;
        }

        Execute(decision.Action, crashMidway);
        if (crashMidway)
        {
            Restart();
        }

        return decision;
    }

    /// <summary>Steps until the agent has nothing left to do; crashes at the listed step numbers.</summary>
    public Decision Run(int maxSteps = 200, ISet<int>? crashAt = null)
    {
        for (var i = 0; i < maxSteps; i++)
        {
            var crash = crashAt?.Contains(Steps) ?? false;
            var decision = Step(crash);
            // A crash on the last step is followed by a restart, which decides again.
            if (decision.Action is AgentAction.None && !crash)
            {
                return decision;
            }
        }

        throw new InvalidOperationException($"no rest after {maxSteps} steps: {string.Join(" | ", Decisions.TakeLast(6).Select(d => d.Action))}");
    }

    private string Key => DesiredTarget.TryCreate(Desired!, Options, out _)!.Key;

    private void Execute(AgentAction action, bool crashMidway)
    {
        switch (action)
        {
            case AgentAction.None:
                break;
            case AgentAction.Wait wait:
                Now = wait.Until > Now ? wait.Until : Now;
                break;
            case AgentAction.ResetRecord:
                Record = AgentRecord.Empty;
                break;
            case AgentAction.Stage stage when FailingStages > 0:
                FailingStages--;
                Record = Record.About(Key).WithStageFailure("manifest unknown", Now, Options.Staging);
                break;
            case AgentAction.Stage stage:
                // rpm-ostree finishes a started transaction whatever the client does, so the stage lands even
                // when the agent dies before writing its note.
                Staged = Deployment(stage.ExpectedDigest!.Value.ToString());
                if (!crashMidway)
                {
                    Record = Record.About(Key).WithStaged(stage.ExpectedDigest.Value);
                }

                break;
            case AgentAction.CleanupStaged:
                Staged = null;
                break;
            case AgentAction.AcquireSlot acquire:
                Acquire(acquire.Digest, crashMidway);
                break;
            case AgentAction.ReleaseSlot:
                // A crash after the write still frees the slot; the restart learns that.
                Slots?.ReleaseAsync(Member, CancellationToken.None).GetAwaiter().GetResult();
                Slot = SlotView.None;
                break;
            case AgentAction.Cordon:
                Assert.False(Unschedulable, "cordoned a node that was already unschedulable");
                Record = Record.About(Key).WithCordoned();
                (Unschedulable, CordonedByUs) = (true, true);
                DrainedSinceCordon = false;
                Cordons++;
                break;
            case AgentAction.Uncordon:
                Assert.True(CordonedByUs, "lifted a cordon that was not ours");
                (Unschedulable, CordonedByUs) = (false, false);
                break;
            case AgentAction.Drain:
                Assert.True(Unschedulable, "drained a schedulable node");
                Drains++;
                if (!crashMidway)
                {
                    Record = Record.About(Key).WithDrained();
                    DrainedSinceCordon = true;
                }

                break;
            case AgentAction.Finalize finalize:
                Assert.True(Unschedulable, "rebooted a node that was not cordoned");
                Assert.True(DrainedSinceCordon, "rebooted without a drain since the last cordon");
                Assert.Equal(finalize.Digest, Staged?.ImageDigest);
                Record = Record.About(Key).WithRebootRequested(BootId, Now);
                if (!crashMidway)
                {
                    Record = Record.WithRebootAccepted();
                    Reboot();
                }

                break;
            case AgentAction.CompleteVerification:
                Record = AgentRecord.For(Key);
                break;
            case AgentAction.RecordFailure failure:
                Record = failure.Rejects is { } rejects ? Record.About(Key).WithRejection(failure.Failure, rejects) : Record.About(Key).WithFailure(failure.Failure);
                break;
            case AgentAction.CheckHealth check:
                if (!crashMidway)
                {
                    // Killed while the gate was asked: its answer was never noted.
                    Record = Record.About(Key).WithHealth(check.Digest, Gate(check.Digest), new Moment(Now, BootId, TimeSpan.Zero));
                }

                Now += TimeSpan.FromSeconds(10);
                break;
            case AgentAction.Rollback rollback:
                Assert.Equal(rollback.PreviousChecksum, Previous?.Checksum);
                Record = Record.About(Key).WithRollbackRequested(new RollbackRequest(rollback.From, rollback.FromReference, rollback.Reason,
                    rollback.PreviousChecksum, rollback.PreviousDigest, BootId, Now));
                if (!RollbackQueued)
                {
                    (RollbackQueued, Rollbacks) = (true, Rollbacks + 1);
                }

                if (!crashMidway)
                {
                    Record = Record.WithRollbackAccepted();
                    Reboot();
                }

                break;
            case AgentAction.NoteRejectionMarked:
                Record = Record.WithRejectionMarked();
                break;
            case AgentAction.ForgetRejection:
                Record = RecordRules.Apply(Record, Key, new AgentOutcome.RejectionForgotten(), Options, Now);
                break;
            default:
                throw new InvalidOperationException($"the model does not know {action}");
        }
    }

    private void Acquire(Digest digest, bool crashMidway)
    {
        var answer = Slots is null
            ? new SlotAnswer.Acquired("model-0")
            : Slots.AcquireAsync(new SlotRequest(Member, digest.ToString()), CancellationToken.None).GetAwaiter().GetResult();
        if (crashMidway)
        {
            // The Lease was written, the answer lost: the restart learns whether we hold it (alone, the world is the Lease).
            if (Slots is null)
            {
                Slot = SlotView.Found(Member, new HeldSlot("model-0", null));
            }

            return;
        }

        Slot = SlotView.Answered(answer, Member, digest, Now + SlotRecheck);
    }

    /// <summary>A new process: no state, no memory of the slot but what the slots say.</summary>
    private void Restart()
    {
        if (Slots is not null)
        {
            Slot = Slots.HoldsAsync(Member, CancellationToken.None).GetAwaiter().GetResult() is { } held ? SlotView.Found(Member, held) : SlotView.None;
        }
        else
        {
            // Alone, a slot held stays held (nothing else takes it), its digest known only from the cluster, which says none.
            Slot = Slot.Held is { } held ? SlotView.Found(Member, held with { Digest = null }) : SlotView.None;
        }
    }

    private void Reboot()
    {
        Reboots++;
        BootId = $"boot-{++_boots}";
        if (LostStages > 0)
        {
            LostStages--;
        }
        else if (RollbackQueued && Previous is { } previous)
        {
            (Previous, Booted, RollbackQueued) = (Booted, previous, false);
        }
        else if (Staged is not null)
        {
            (Previous, Booted) = (Booted, Staged);
        }

        // A locked staged deployment lives in /run: it is applied or gone, never staged across a reboot.
        Staged = null;
        Now += TimeSpan.FromMinutes(3);
        Restart();
    }
}
