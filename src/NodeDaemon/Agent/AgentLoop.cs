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

/// <summary>Feeds node and host observations into <see cref="Decider"/> and hands its actions to the executors, one at a time.</summary>
/// <remarks>
/// The loop keeps nothing that matters in memory: each turn reads the latest node snapshot (<see cref="NodeObserver"/>), the
/// host's deployments and the persisted notes (<see cref="AgentNotes"/>), decides, reports (<see cref="NodeReporter"/>),
/// and acts once (<see cref="ActionExecutor"/>), which notes the outcome through <see cref="RecordRules"/>. So a crash or
/// restart anywhere resumes from what the node, the host and the notes say. The one thing kept in memory is the view
/// of the pool slot (<see cref="SlotView"/>, kept by <see cref="SlotExecutor"/>), learned at start and then from the answers.
/// </remarks>
public sealed partial class AgentLoop
{
    private readonly IHostSystem _host;
    private readonly IBootIdSource _bootId;
    private readonly NodeDaemonOptions _options;
    private readonly TimeProvider _time;
    private readonly AgentHeartbeat _heartbeat;
    private readonly ILogger _logger;
    private readonly AnnotationKeys _keys;
    private readonly MaintenanceSchedule _schedule;
    private readonly AgentLoopSettings _settings;
    private readonly SlotExecutor _slot;
    private readonly StagingSlotExecutor _staging;
    private readonly NodeObserver _observer;
    private readonly AgentNotes _notes;
    private readonly NodeReporter _reporter;
    private readonly TurnFailures _failures;
    private readonly TurnWaiter _waiter;
    private readonly ActionExecutor _actions;

    /// <summary>Builds the loop and its executors over the given seams.</summary>
    public AgentLoop(INodeClient node, IHostSystem host, ISlotClient slots, AgentRecordStore store, IBootIdSource bootId, NodeDaemonOptions options,
        TimeProvider time, AgentHeartbeat heartbeat, StatusReporter status, ILogger<AgentLoop> logger)
    {
        (_host, _bootId, _options, _time, _heartbeat, _logger) = (host, bootId, options, time, heartbeat, logger);
        _keys = AnnotationKeys.For(options.Protocol, options.AnnotationPrefix);
        _schedule = MaintenanceSchedule.From(options.Maintenance);
        _settings = new AgentLoopSettings(options.ProgressInterval);
        _slot = new SlotExecutor(slots, time, logger);
        _staging = new StagingSlotExecutor(time, logger);
        _observer = new NodeObserver(node, time);
        _notes = new AgentNotes(store, options, time, logger);
        _reporter = new NodeReporter(node, _observer, _keys, status, heartbeat, time, _settings, logger);
        _failures = new TurnFailures(_reporter, status, _settings, logger);
        _waiter = new TurnWaiter(_observer, _slot, _staging, time, _settings);
        var drainer = new DrainExecutor(node, _observer, _notes, _reporter, options, heartbeat, time, _settings, logger);
        _actions = new ActionExecutor(host, _observer, _notes, _reporter, drainer, _slot, _staging, options, heartbeat, time, _settings, logger);
    }

    /// <summary>The state the agent is in.</summary>
    public AgentState State { get; private set; } = AgentState.Starting;

    /// <summary>Runs until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var watch = _observer.WatchAsync(stop.Token);
        try
        {
            // The watch starts with a list of the node: the first turn decides on that rather than reading it once more.
            // Bounded, so an API server that does not answer yet leaves the first turn to read (and fail) on its own.
            _heartbeat.Beat();
            await _waiter.ForChangeAsync(IdleTick < FirstSnapshotWait ? IdleTick : FirstSnapshotWait, cancellationToken).ConfigureAwait(false);
            while (!cancellationToken.IsCancellationRequested)
            {
                Decision decision;
                Turns.TurnStarted();
                try
                {
                    decision = await TurnAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (TurnFailures.IsTransient(e, cancellationToken))
                {
                    // Not a bug: the API, rpm-ostreed or the disk failed past their own retries. Keep the process (its
                    // watch, slot view and report memory) and try the turn again after a backoff; only a bug ends it.
                    Turns.TurnEnded(State);
                    var delay = await _failures.FailedAsync(e, State, cancellationToken).ConfigureAwait(false);
                    _heartbeat.Bound(delay);
                    await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                _failures.Succeeded();
                Turns.TurnEnded(State);
                await _waiter.AfterAsync(decision.Action, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await watch.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await _slot.StopWatchingAsync().ConfigureAwait(false);
            await _staging.StopWatchingAsync().ConfigureAwait(false);
        }
    }

    /// <summary>One turn: observe, decide, report, act. Returns the decision taken.</summary>
    public async Task<Decision> TurnAsync(CancellationToken cancellationToken)
    {
        _heartbeat.Unbound();
        _notes.BeginTurn();
        var snapshot = await _observer.CurrentAsync(cancellationToken).ConfigureAwait(false);
        _slot.TakeNews();
        _staging.TakeNews();
        var view = snapshot.ToView(_options);
        var hostStatus = await _host.ReadStatusAsync(cancellationToken).ConfigureAwait(false);
        if (_options.Fleet.Enabled)
        {
            var member = view.Pool is { } pool ? new SlotMember(snapshot.Name, pool) : null;
            await _slot.LearnAsync(member, HeldSlotRules.RenewsAtStart(view, hostStatus.Booted, _options), cancellationToken).ConfigureAwait(false);
        }

        var inputs = Inputs(view, hostStatus) with { NodeReady = snapshot.Ready };
        var decision = Decider.Decide(inputs);
        _failures.Decided(decision);
        if (decision.State != AgentState.Staging)
        {
            // Past the pull (or no pull wanted): a staging slot handed over now is no use to this node.
            await _staging.StopWatchingAsync().ConfigureAwait(false);
        }

        if (decision.State != State)
        {
            LogTransition(decision.State, decision.Action.GetType().Name, decision.Message);
            Metrics.Transitioned(State, decision.State, decision.Condition);
            State = decision.State;
        }

        Metrics.Observed(NodeSignals.From(snapshot, view, decision, _slot.LastAnswerHalted, _options.AnnotationPrefix));
        if (hostStatus.Booted is { ImageDigest: { } bootedDigest } booted)
        {
            Metrics.Booted(booted.Image?.Name ?? booted.ContainerImageReference ?? "", bootedDigest.ToString());
        }

        await _reporter.BeforeActionAsync(decision, cancellationToken).ConfigureAwait(false);
        try
        {
            await _actions.ActAsync(decision, inputs, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // A progress line still being written belongs to this turn: the next turn's writes come after it.
            await _reporter.FlushProgressAsync().ConfigureAwait(false);
            _heartbeat.Unbound();
        }

        return decision;
    }

    /// <summary>What the decision looks at this turn; the window's next opening goes into its Wait, which is how the loop wakes then.</summary>
    private AgentInputs Inputs(NodeView view, HostStatus hostStatus) =>
        ObservedInputs.From(view, hostStatus, _bootId.Read(), _notes.Current, _options, _schedule, _time.GetUtcNow()) with
        {
            Slot = _slot.View.Held, SlotRefusal = _slot.View.Refusal, Monotonic = BootClock.Monotonic(_time), NotesUnwritable = _notes.Unwritable,
            StagingSlotHeld = _staging.Holder is not null, StagingRefusal = _staging.Refusal,
        };
}
