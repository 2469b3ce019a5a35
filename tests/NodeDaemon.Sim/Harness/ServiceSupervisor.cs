using System.Diagnostics;

namespace NodeDaemon.Sim.Harness;

/// <summary>Plays systemd for one <c>Type=notify</c> service run from its unit file: the notify socket, the watchdog
/// (WATCHDOG_USEC, a missed ping → WatchdogSignal= then SIGKILL), the start timeout, Restart= with RestartSec= and the
/// start limit, and a stop that is SIGTERM then SIGKILL after TimeoutStopSec=. Counts kills and restarts by cause.</summary>
/// <remarks>Sources: systemd.service(5) (WatchdogSec=, Restart= and its Table 2, RestartSec=, TimeoutStopSec=,
/// TimeoutStartSec=), systemd.kill(5) (WatchdogSignal= defaults to SIGABRT), systemd.unit(5) (StartLimitBurst=),
/// systemd 252; src/core/service.c. Not modelled: NotifyAccess= beyond "main" (one socket per run), WATCHDOG=trigger,
/// EXTEND_TIMEOUT_USEC, RestartSteps=.</remarks>
public sealed class ServiceSupervisor : IDisposable
{
    private readonly SystemdUnit _unit;
    private readonly Func<IReadOnlyDictionary<string, string>, DaemonProcess> _start;
    private readonly List<long> _starts = [];
    private readonly Dictionary<string, int> _restarts = new(StringComparer.Ordinal);
    private readonly List<ServiceExit> _exits = [];
    private DaemonProcess? _process;
    private NotifyCollector? _notify;
    private long _startedAt;
    private long? _readyAt;
    private string? _pendingResult;
    private long? _killAt;
    private long? _restartAt;
    private string? _restartCause;
    private bool _handled;

    /// <summary>A supervisor of the service <paramref name="unit"/> describes, started by <paramref name="start"/> with the
    /// environment systemd would add (NOTIFY_SOCKET, WATCHDOG_USEC).</summary>
    public ServiceSupervisor(SystemdUnit unit, Func<IReadOnlyDictionary<string, string>, DaemonProcess> start)
    {
        ArgumentNullException.ThrowIfNull(unit);
        ArgumentNullException.ThrowIfNull(start);
        _unit = unit;
        _start = start;
    }

    /// <summary>The unit as run (scaled).</summary>
    public SystemdUnit Unit => _unit;

    /// <summary>The running (or last) process.</summary>
    public DaemonProcess? Process => _process;

    /// <summary>Times the watchdog timeout passed and WatchdogSignal= was sent.</summary>
    public int WatchdogKills { get; private set; }

    /// <summary>Times the start timeout passed before READY=1.</summary>
    public int StartTimeouts { get; private set; }

    /// <summary>Restarts by Restart= so far, by the result of the run that ended (<c>exit-code</c>, <c>signal</c>, <c>watchdog</c>, <c>timeout</c>).</summary>
    public IReadOnlyDictionary<string, int> Restarts => _restarts;

    /// <summary>Every end of a run that systemd did not cause by a stop, in order.</summary>
    public IReadOnlyList<ServiceExit> Exits => _exits;

    /// <summary>The start limit was hit: the unit failed and is not started again.</summary>
    public bool StartLimitHit { get; private set; }

    /// <summary>A restart is scheduled and not yet done.</summary>
    public bool RestartPending => _restartAt is not null;

    /// <summary>When the current run said READY=1 (a <see cref="Stopwatch"/> timestamp), or null before.</summary>
    public long? ReadyAt => _readyAt ?? _notify?.LastArrival("READY=1");

    /// <summary>Whether the service runs.</summary>
    public bool Running => _process is { HasExited: false };

    /// <summary>Starts the service unless it runs (a start by hand, or after a boot: it resets the start limit).</summary>
    public void Start(bool resetStartLimit = false)
    {
        if (Running)
        {
            return;
        }

        if (resetStartLimit)
        {
            _starts.Clear();
            StartLimitHit = false;
        }

        _restartAt = null;
        Launch();
    }

    /// <summary>What systemd does at one moment: watchdog and start timeout, the kill after the stop timeout, the end of a
    /// run and the restart it earns. Returns a line for people when something happened, else null.</summary>
    public string? Tend()
    {
        var now = Stopwatch.GetTimestamp();
        if (_restartAt is { } due)
        {
            if (now < due)
            {
                return null;
            }

            var cause = _restartCause!;
            _restartAt = null;
            var window = Ticks(_unit.StartLimitIntervalSec);
            if (_starts.Count(s => now - s < window) >= _unit.StartLimitBurst)
            {
                StartLimitHit = true;
                return $"systemd: nodedaemon.service: start request repeated too quickly (start-limit-hit); not restarted";
            }

            _restarts[cause] = _restarts.GetValueOrDefault(cause) + 1;
            Launch();
            return $"systemd: nodedaemon.service: scheduled restart ({cause})";
        }

        if (_process is not { } process || _handled)
        {
            return null;
        }

        if (process.HasExited)
        {
            return Ended(process, now);
        }

        if (_killAt is { } killAt)
        {
            if (now >= killAt)
            {
                process.Kill();
                _killAt = null;
                return "systemd: nodedaemon.service: killing (SIGKILL) after the timeout";
            }

            return null;
        }

        if (_readyAt is null)
        {
            _readyAt = _notify!.LastArrival("READY=1");
            if (_readyAt is null && now - _startedAt > Ticks(_unit.TimeoutStartSec))
            {
                StartTimeouts++;
                _pendingResult = "timeout";
                process.Terminate();
                _killAt = now + Ticks(_unit.TimeoutStopSec);
                return "systemd: nodedaemon.service: start operation timed out; terminating";
            }

            return null;
        }

        // The watchdog runs once the start-up is complete (READY=1), and each WATCHDOG=1 starts it again.
        if (_unit.WatchdogSec is { } watchdog)
        {
            var lastPing = Math.Max(_readyAt.Value, _notify!.LastArrival("WATCHDOG=1") ?? 0);
            if (now - lastPing > Ticks(watchdog))
            {
                WatchdogKills++;
                _pendingResult = "watchdog";
                process.Signal(_unit.WatchdogSignal);
                _killAt = now + Ticks(_unit.TimeoutAbortSec);
                return $"systemd: nodedaemon.service: watchdog timeout; killing with SIG{_unit.WatchdogSignal}";
            }
        }

        return null;
    }

    /// <summary>kill -9 from outside (chaos): the run ends now and is not restarted by Restart= (the caller starts it).</summary>
    public void Crash()
    {
        if (_process is { } process)
        {
            process.Kill();
            Retire();
        }

        _restartAt = null;
    }

    /// <summary>systemctl stop (or the shutdown of a reboot): SIGTERM, SIGKILL after TimeoutStopSec=; no restart.</summary>
    /// <returns>Whether the stop needed the SIGKILL.</returns>
    public bool Stop()
    {
        _restartAt = null;
        if (_process is not { } process)
        {
            return false;
        }

        var killed = false;
        if (!process.HasExited)
        {
            process.Terminate();
            if (process.WaitForExit(_unit.TimeoutStopSec) is null)
            {
                process.Kill();
                killed = true;
            }
        }

        Retire();
        return killed;
    }

    /// <summary>Stops the service and removes the notify socket.</summary>
    public void Dispose()
    {
        Stop();
        _notify?.Dispose();
        _notify = null;
    }

    private void Launch()
    {
        Retire();
        _notify?.Dispose();
        // One socket per run: a datagram of the previous process cannot count for this one (NotifyAccess=main).
        _notify = new NotifyCollector();
        var environment = new Dictionary<string, string> { ["NOTIFY_SOCKET"] = _notify.SocketPath };
        if (_unit.WatchdogSec is { } watchdog)
        {
            environment["WATCHDOG_USEC"] = ((long)watchdog.TotalMicroseconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        _startedAt = Stopwatch.GetTimestamp();
        _starts.Add(_startedAt);
        _readyAt = null;
        _pendingResult = null;
        _killAt = null;
        _handled = false;
        _process = _start(environment);
    }

    private string Ended(DaemonProcess process, long now)
    {
        var code = process.ExitCode!.Value;
        // .NET reports a process killed by signal N as 128 + N.
        var signal = code > 128 && code < 128 + 65 ? code - 128 : (int?)null;
        // Clean: exit 0, or SIGHUP, SIGINT, SIGTERM, SIGPIPE (systemd.service(5), Restart=); the watchdog and the start
        // timeout set their result before the signal that ends the run.
        var result = _pendingResult ?? (code == 0 || signal is 1 or 2 or 13 or 15 ? "success" : signal is null ? "exit-code" : "signal");
        var restart = _unit.Restarts(result);
        _exits.Add(new ServiceExit(now, code, signal, result, restart));
        Retire();
        if (restart)
        {
            _restartAt = now + Ticks(_unit.RestartSec);
            _restartCause = result;
        }

        var how = signal is { } s ? $"killed by signal {s}" : $"exited with {code}";
        return $"systemd: nodedaemon.service: {how} (result {result}); " + (restart ? $"restart in {_unit.RestartSec.TotalSeconds:0.###} s" : "not restarted");
    }

    private void Retire()
    {
        _handled = true;
        _killAt = null;
    }

    private static long Ticks(TimeSpan span) =>
        span == TimeSpan.MaxValue ? long.MaxValue / 2 : (long)(span.TotalSeconds * Stopwatch.Frequency);
}

/// <summary>One end of a run of the service.</summary>
/// <param name="At">When (a <see cref="Stopwatch"/> timestamp) it was seen.</param>
/// <param name="ExitCode">The exit code as .NET reports it (128 + N for signal N).</param>
/// <param name="Signal">The signal that ended it, if one did.</param>
/// <param name="Result">systemd's result: <c>success</c>, <c>exit-code</c>, <c>signal</c>, <c>watchdog</c>, <c>timeout</c>.</param>
/// <param name="Restarted">Whether Restart= restarts after it.</param>
public sealed record ServiceExit(long At, int ExitCode, int? Signal, string Result, bool Restarted);
