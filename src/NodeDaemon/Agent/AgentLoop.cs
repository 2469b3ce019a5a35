using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using NodeDaemon.Core.Agent;
using NodeDaemon.Core.Cluster;
using NodeDaemon.Core.Fleet;
using NodeDaemon.Core.Host;
using NodeDaemon.Core.Maintenance;
using NodeDaemon.Core.Options;
using NodeDaemon.Metrics;
using NodeDaemon.State;
using NodeDaemon.Systemd;

namespace NodeDaemon.Agent;

/// <summary>Feeds node and host observations into <see cref="Decider"/> and carries out its actions, one at a time.</summary>
/// <remarks>
/// The loop keeps nothing that matters in memory: each turn reads the latest node snapshot (from the watch), the
/// host's deployments and the persisted notes, decides, reports, and acts once. So a crash or restart anywhere
/// resumes from what the node, the host and the notes say. Actions that change the notes save them before the
/// next turn; the finalization saves them before the reboot is asked for. The one thing kept in memory is the view
/// of the pool slot (<see cref="SlotKeeper"/>), learned from the pool at start and then from the answers.
/// </remarks>
public sealed partial class AgentLoop(
    INodeClient node,
    IHostSystem host,
    ISlotClient slots,
    AgentRecordStore store,
    IBootIdSource bootId,
    NodeDaemonOptions options,
    TimeProvider time,
    AgentHeartbeat heartbeat,
    StatusReporter status,
    ILogger<AgentLoop> logger)
{
    private readonly AgentStateMachine _machine = new();
    private readonly AnnotationKeys _keys = AnnotationKeys.For(options.Protocol, options.AnnotationPrefix);
    private readonly MaintenanceSchedule _schedule = MaintenanceSchedule.From(options.Maintenance);
    private readonly SlotKeeper _slot = new(slots, time, logger);
    private readonly Channel<NodeSnapshot> _changes = Channel.CreateBounded<NodeSnapshot>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest });
    private NodeSnapshot? _node;
    private NodeReport? _reported;
    private AgentRecord? _record;
    private DateTimeOffset _lastWrite = DateTimeOffset.MinValue;
    private bool _wroteAny;
    private DateTimeOffset _writtenUntil = DateTimeOffset.MinValue;

    // What this process's drain evicted, for the Rebooting Event that follows it (null after a restart in between).
    private string? _drained;

    /// <summary>How long after a cordon or uncordon a watch event older than the node it wrote is ignored.</summary>
    private static readonly TimeSpan _staleWatchWindow = TimeSpan.FromMinutes(1);

    /// <summary>The shortest time between a write to the node and a progress line written to its <c>message</c> after it.</summary>
    /// <remarks>The <c>progressIntervalSeconds</c> option unless set.</remarks>
    public TimeSpan ProgressReportInterval { get; init; } = options.ProgressInterval;

    /// <summary>How often an idle loop looks again (and beats) without a change from the watch.</summary>
    public TimeSpan IdleTick { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Where transitions, durations and failures are reported; nothing by default.</summary>
    public IAgentMetrics Metrics { get; init; } = NoAgentMetrics.Instance;

    /// <summary>The base time before a full or halted pool is asked again for a slot; the wait is 1–2 times this.</summary>
    public TimeSpan SlotRecheck
    {
        get => _slot.Recheck;
        init => _slot = new SlotKeeper(slots, time, logger) { Recheck = value };
    }

    /// <summary>How long the first turn waits for the watch's first snapshot before it reads the node itself.</summary>
    public TimeSpan FirstSnapshotWait { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The state the agent is in.</summary>
    public AgentState State => _machine.Current;

    /// <summary>Runs until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var watch = WatchAsync(stop.Token);
        try
        {
            // The watch starts with a list of the node: the first turn decides on that rather than reading it once more.
            // Bounded, so an API server that does not answer yet leaves the first turn to read (and fail) on its own.
            heartbeat.Beat();
            await WaitForChangeAsync(IdleTick < FirstSnapshotWait ? IdleTick : FirstSnapshotWait, cancellationToken).ConfigureAwait(false);
            while (!cancellationToken.IsCancellationRequested)
            {
                Decision decision;
                try
                {
                    decision = await TurnAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (IsTransient(e, cancellationToken))
                {
                    // Not a bug: the API, rpm-ostreed or the disk failed past their own retries. Keep the process (its
                    // watch, slot view and report memory) and try the turn again after a backoff; only a bug ends it.
                    var delay = await TurnFailedAsync(e, cancellationToken).ConfigureAwait(false);
                    heartbeat.Bound(delay);
                    await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                TurnSucceeded();
                await WaitAsync(decision.Action, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await watch.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await _slot.StopWatchingAsync().ConfigureAwait(false);
        }
    }

    /// <summary>One turn: observe, decide, report, act. Returns the decision taken.</summary>
    public async Task<Decision> TurnAsync(CancellationToken cancellationToken)
    {
        heartbeat.Unbound();
        _turnToken = cancellationToken;
        _record ??= store.Load();
        RetryUnwrittenNotes();
        while (_changes.Reader.TryRead(out var newer))
        {
            Observe(newer);
        }

        _slot.TakeNews();
        var snapshot = _node ??= await node.GetAsync(cancellationToken).ConfigureAwait(false);
        var view = snapshot.ToView(options);
        var hostStatus = await host.ReadStatusAsync(cancellationToken).ConfigureAwait(false);
        if (options.Fleet.Enabled)
        {
            // A holder back on the desired image hands its slot on in a moment, and that write says it is alive: no
            // renewal first. One that is not (its reboot did not bring the image) renews: it keeps working.
            var finishing = DesiredTarget.TryCreate(view.DesiredImage ?? "", options.AllowTags, out _)?.IsMatchedBy(hostStatus.Booted) == true;
            await _slot.LearnAsync(Member(snapshot, view), renew: !finishing, cancellationToken).ConfigureAwait(false);
        }

        var inputs = ObservedInputs.From(view, hostStatus, bootId.Read(), _record, options, _schedule, time.GetUtcNow()) with
        {
            Slot = _slot.Slot, SlotRefusal = _slot.Refusal, Monotonic = Monotonic(), NotesUnwritable = _notesUnwritable,
        };
        var decision = Decider.Decide(inputs);
        _lastTurn = (decision, hostStatus);
        var previous = _machine.Current;
        if (_machine.TransitionTo(decision.State))
        {
            LogTransition(decision.State, decision.Action.GetType().Name, decision.Message);
            Metrics.Transitioned(previous, decision.State, decision.Condition);
        }

        if (hostStatus.Booted is { ImageDigest: { } bootedDigest } booted)
        {
            Metrics.Booted(booted.Image?.Name ?? booted.ContainerImageReference ?? "", bootedDigest.ToString());
        }

        // Forgetting notes ends at once and the next turn reports again: a new message alone is not worth a write for
        // it (the phase, state and reason it would show are already on the node).
        var passing = decision.Action is AgentAction.ResetRecord;
        // A cordon or an uncordon carries the report in its own write (see ActAsync): one PATCH instead of two. A slot
        // request reports its answer instead (see ActAsync): "waiting for a slot" would be overwritten at once by the
        // answer, or by the cordon that follows a slot taken. A verification is not reported: it ends at once, and the
        // next turn's write (the uncordon, the release or the rest) says Done.
        if (decision.Action is not (AgentAction.Cordon or AgentAction.Uncordon or AgentAction.AcquireSlot or AgentAction.CompleteVerification))
        {
            await ReportAsync(decision, hostStatus, decision.Message, cancellationToken, passing).ConfigureAwait(false);
        }

        try
        {
            await ActAsync(decision, inputs, hostStatus, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // A progress line still being written belongs to this turn: the next turn's writes come after it.
            await FlushProgressAsync().ConfigureAwait(false);
            heartbeat.Unbound();
        }

        return decision;
    }

    private async Task ActAsync(Decision decision, AgentInputs inputs, HostStatus hostStatus, CancellationToken cancellationToken)
    {
        var key = DesiredTarget.TryCreate(inputs.Node.DesiredImage ?? "", options.AllowTags, out _)?.Key;
        switch (decision.Action)
        {
            case AgentAction.Stage stage:
                await EventAsync(NodeEventKind.Staging, decision.Message, warning: false, cancellationToken).ConfigureAwait(false);
                // Bounded by rpm-ostree's: a BUSY wait of at most busyWaitSeconds, then the transaction's timeout.
                heartbeat.Bound(options.Staging.BusyWait + options.Staging.TransactionTimeout + s_windDown);
                var stageStarted = time.GetTimestamp();
                try
                {
                    var progress = new InlineProgress<StageProgress>(p => OnProgress(decision, hostStatus, p.Describe()));
                    var staged = await host.StageAsync(stage.Refspec, stage.ExpectedDigest, progress, cancellationToken).ConfigureAwait(false);
                    Metrics.StageCompleted(time.GetElapsedTime(stageStarted));
                    Save(_record!.About(key!).WithStaged(staged.ImageDigest!.Value));
                    await EventAsync(NodeEventKind.Staged, $"staged {stage.Refspec} ({staged.ImageDigest})", false, cancellationToken).ConfigureAwait(false);
                }
                catch (HostException e)
                {
                    LogStageFailed(stage.Refspec.ToString(), e.Message);
                    Metrics.Failed(FailureKind.Stage);
                    Save(_record!.About(key!).WithStageFailure(e.Message, time.GetUtcNow(), options.Staging, new Moment(time.GetUtcNow(), inputs.Host.BootId, Monotonic())));
                }

                break;
            case AgentAction.CleanupStaged:
                await host.CleanupStagedAsync(cancellationToken).ConfigureAwait(false);
                break;
            case AgentAction.Cordon:
                await EventAsync(NodeEventKind.Draining, decision.Message, false, cancellationToken).ConfigureAwait(false);
                Save(_record!.About(key!).WithCordoned());
                await CordonAsync(decision, hostStatus, cordon: true, cancellationToken).ConfigureAwait(false);
                break;
            case AgentAction.Uncordon:
                await CordonAsync(decision, hostStatus, cordon: false, cancellationToken).ConfigureAwait(false);
                break;
            case AgentAction.Drain:
                await DrainAsync(decision, inputs, hostStatus, key!, cancellationToken).ConfigureAwait(false);
                break;
            case AgentAction.Finalize finalize:
                // The notes first: whatever happens to this process, the next boot knows it asked for a reboot. Notes that
                // cannot be written (a full disk) stop it here: a reboot they do not know of could not be counted.
                var retrying = _record!.About(key!).Reboot is { InhibitedSince: not null };
                if (!SaveBeforeReboot(_record!.About(key!).WithRebootRequested(inputs.Host.BootId, time.GetUtcNow(), Monotonic())))
                {
                    break;
                }

                if (!retrying)
                {
                    // One Rebooting event per request: the retries under a shutdown inhibitor show in the message.
                    await EventAsync(NodeEventKind.Rebooting, _drained is { } drained ? $"{drained}; {decision.Message}" : decision.Message, false, cancellationToken)
                        .ConfigureAwait(false);
                }

                heartbeat.Bound(options.Staging.BusyWait + options.Staging.TransactionTimeout + s_windDown);
                try
                {
                    await host.FinalizeAsync(finalize.Digest, cancellationToken).ConfigureAwait(false);
                    Save(_record!.About(key!).WithRebootAccepted());
                }
                catch (HostException e) when (e.Kind == HostErrorKind.Inhibited)
                {
                    // Not a failure: refused before the unlock; the decider waits, bounded by reboot.inhibitorWaitSeconds.
                    LogFinalizeInhibited(finalize.Digest.ToString(), e.Message);
                    Save(_record!.About(key!).WithRebootInhibited(e.Message, time.GetUtcNow(), Monotonic()));
                }
                catch (HostException e) when (e.Kind != HostErrorKind.Unavailable)
                {
                    // Counted as an attempt: the decider tries again within the budget, then gives up with this answer.
                    // Not so a host that gave no answer (rpm-ostreed died or is unreachable): that fails the turn and leaves
                    // the note unanswered, which the decider asks again as the same attempt (a reboot may be under way).
                    LogFinalizeFailed(finalize.Digest.ToString(), e.Message);
                    Metrics.Failed(FailureKind.Finalize);
                    Save(_record!.About(key!).WithRebootRefused(e.Message));
                }

                break;
            case AgentAction.CompleteVerification verified:
                // The request time was persisted before the reboot, so this spans the shutdown, the boot and our restart.
                if (_record!.About(key!).Reboot is { } reboot)
                {
                    var took = time.GetUtcNow() - reboot.RequestedAt;
                    Metrics.RebootCompleted(took > TimeSpan.Zero ? took : TimeSpan.Zero);
                }

                // A full disk does not keep the node from being given back: the verified notes are kept in memory, the
                // uncordon follows, and the write is tried again on every turn (see AgentLoop.Notes.cs).
                Save(AgentRecord.For(key!));
                await EventAsync(NodeEventKind.Verified, $"booted {verified.Digest}, the desired image", false, cancellationToken).ConfigureAwait(false);
                break;
            case AgentAction.RecordFailure failure:
                if (failure.Failure.FailedIn == AgentState.Rebooting)
                {
                    // Stage and drain failures were counted as they happened; this one is only known now.
                    Metrics.Failed(FailureKind.Verify);
                }

                Save(_record!.About(key!).WithFailure(failure.Failure));
                await EventAsync(NodeEventKind.Degraded, failure.Failure.Reason, warning: true, cancellationToken).ConfigureAwait(false);
                break;
            case AgentAction.ResetRecord:
                Save(AgentRecord.Empty);
                break;
            case AgentAction.AcquireSlot acquire:
                // The decider asks only with a pool label on the node, so the member is known here.
                var answer = await _slot.AcquireAsync(Member(_node!, inputs.Node)!, acquire.Digest, cancellationToken).ConfigureAwait(false);
                if (answer is SlotAnswer.Full or SlotAnswer.Halted)
                {
                    // Waiting is not a failure: no failure metric, no Degraded; the node says who holds the slots.
                    await ReportAsync(decision, hostStatus, answer.Message, cancellationToken).ConfigureAwait(false);
                }

                break;
            case AgentAction.ReleaseSlot:
                await _slot.ReleaseAsync(Member(_node!, inputs.Node), cancellationToken).ConfigureAwait(false);
                break;
            case AgentAction.None or AgentAction.Wait:
                break;
            default:
                throw new InvalidOperationException($"no executor for {decision.Action}");
        }
    }

    /// <summary>Takes <paramref name="newer"/> from the watch as the node to decide on, unless our own write is newer.</summary>
    private void Observe(NodeSnapshot newer)
    {
        // A watch event still on its way when the loop took the node from a cordon's answer is older: keep the newer.
        // Only for a while, so that versions that went back (an etcd restore) cannot hide the watch for good.
        if (_node is null || time.GetUtcNow() >= _writtenUntil || !newer.IsOlderThan(_node))
        {
            _node = newer;
        }
    }

    private async Task EventAsync(NodeEventKind kind, string message, bool warning, CancellationToken cancellationToken)
    {
        try
        {
            await node.RecordEventAsync(kind, message, warning, cancellationToken).ConfigureAwait(false);
        }
        catch (ClusterException e)
        {
            LogReportFailed(e.Message);
            Metrics.Failed(FailureKind.Api);
        }
    }

    /// <summary>This node in its pool, or null when it lacks the pool label.</summary>
    private static SlotMember? Member(NodeSnapshot snapshot, NodeView view) =>
        view.Pool is { } pool ? new SlotMember(snapshot.Name, pool) : null;
}
