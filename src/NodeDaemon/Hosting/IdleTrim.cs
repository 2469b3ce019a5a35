using Microsoft.Extensions.Logging;
using NodeDaemon.Agent;
using NodeDaemon.Core.Agent;

namespace NodeDaemon.Hosting;

/// <summary>Runs the start-up release again (<see cref="StartupRelease.Release"/>) whenever <see cref="IdleTrimRule"/> says
/// so: a few seconds after a turn that left the agent idle, at most once per <see cref="IdleTrimRule.MinInterval"/>.</summary>
/// <remarks>It only keeps the times the rule reads and one timer; the release itself runs on the timer's thread, outside
/// the lock, so a turn that starts meanwhile is never held up (dropping clean file pages under a running turn costs it
/// minor faults, nothing else).</remarks>
public sealed partial class IdleTrim : ITurnListener, IDisposable
{
    private readonly TimeProvider _time;
    private readonly Func<ulong> _release;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly ITimer _timer;
    private bool _turnRunning;
    private AgentState _state = AgentState.Starting;
    private DateTimeOffset? _lastTurnEnded;
    private bool _trimmedSinceTurn;
    private DateTimeOffset? _lastTrim;

    /// <summary>An idle trim that calls <paramref name="release"/> (bytes of mappings let go) when the rule says so.</summary>
    public IdleTrim(TimeProvider time, Func<ulong> release, ILogger<IdleTrim> logger)
    {
        (_time, _release, _logger) = (time, release, logger);
        _timer = time.CreateTimer(_ => Look(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>How many trims have run.</summary>
    public int Trims { get; private set; }

    /// <inheritdoc />
    public void TurnStarted()
    {
        lock (_lock)
        {
            _turnRunning = true;
            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    /// <inheritdoc />
    public void TurnEnded(AgentState state)
    {
        lock (_lock)
        {
            (_turnRunning, _state, _lastTurnEnded, _trimmedSinceTurn) = (false, state, _time.GetUtcNow(), false);
        }

        Look();
    }

    /// <inheritdoc />
    public void Dispose() => _timer.Dispose();

    /// <summary>Asks the rule: trims now, or sets the timer for when to ask again.</summary>
    private void Look()
    {
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            var decision = IdleTrimRule.Decide(new IdleTrimInputs(now, _turnRunning, _state, _lastTurnEnded, _trimmedSinceTurn, _lastTrim));
            if (!decision.Trim)
            {
                _timer.Change(decision.Due is { } due ? due - now : Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                return;
            }

            (_trimmedSinceTurn, _lastTrim) = (true, now);
            Trims++;
        }

        Trim();
    }

    private void Trim()
    {
        var cpu = Environment.CpuUsage.TotalTime;
        var start = _time.GetTimestamp();
        var released = _release();
        // Process CPU, not this thread's: the daemon is idle by the rule's own terms, so it is the trim's cost.
        LogTrimmed(released / 1024, _time.GetElapsedTime(start).TotalMilliseconds, (Environment.CpuUsage.TotalTime - cpu).TotalMilliseconds);
    }

    [LoggerMessage((int)Core.Diagnostics.LogEventId.IdleTrimmed, LogLevel.Debug,
        "Idle trim: let go of {ReleasedKb} KB of file mappings after an aggressive collection, in {ElapsedMs:0.0} ms ({CpuMs:0.0} ms CPU)")]
    private partial void LogTrimmed(ulong releasedKb, double elapsedMs, double cpuMs);
}
