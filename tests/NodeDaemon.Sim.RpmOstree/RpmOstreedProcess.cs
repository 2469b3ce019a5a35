using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using NodeDaemon.Sim.RpmOstree;

namespace NodeDaemon.Sim.Harness;

/// <summary>A running rpm-ostreed simulator on a <see cref="PrivateBus"/>, working on a copy of a state file.</summary>
/// <remarks>Runs the GDBus script directly with Debian's python3 (what <c>nodedaemon-sim rpm-ostreed</c> does too),
/// so a test does not pay for a second .NET start-up.</remarks>
public sealed class RpmOstreedProcess : IDisposable
{
    private static readonly TimeSpan s_readyTimeout = TimeSpan.FromSeconds(10);
    private readonly PrivateBus _bus;
    private readonly RpmOstreedOptions _options;
    private readonly TempDirectory _dir;
    private Process? _process;
    private readonly System.Text.StringBuilder _stderrLines = new();
    private readonly List<HostEvent> _events = [];

    private RpmOstreedProcess(PrivateBus bus, RpmOstreedOptions options)
    {
        _bus = bus;
        _options = options;
        _dir = new TempDirectory("nodedaemon-rpmostreed-");
        StatePath = _dir.File("status.json");
        RegistryPath = _dir.File("registry.json");
        FaultsPath = _dir.File("faults.json");
    }

    /// <summary>The state file the simulator reads and rewrites.</summary>
    public string StatePath { get; }

    /// <summary>The fake registry file (re-read on every pull).</summary>
    public string RegistryPath { get; }

    /// <summary>The faults file (re-read on SIGHUP, see <see cref="ReloadFaults"/>).</summary>
    public string FaultsPath { get; }

    /// <summary>The bus it serves on.</summary>
    public string BusAddress => _bus.Address;

    /// <summary>The exit code once the process has ended, else null.</summary>
    public int? ExitCode => _process is { HasExited: true } p ? p.ExitCode : null;

    /// <summary>The lifecycle events of every run of the simulator so far, in arrival order.</summary>
    public IReadOnlyList<HostEvent> Events
    {
        get
        {
            lock (_events)
            {
                return [.. _events];
            }
        }
    }

    /// <summary>What the simulator wrote to stderr so far (for failure messages).</summary>
    public string StandardError
    {
        get
        {
            lock (_stderrLines)
            {
                return _stderrLines.ToString();
            }
        }
    }

    /// <summary>Copies the state, writes the registry and faults, starts the simulator and waits until it owns its names.</summary>
    public static async Task<RpmOstreedProcess> StartAsync(PrivateBus bus, RpmOstreedOptions options)
    {
        ArgumentNullException.ThrowIfNull(bus);
        ArgumentNullException.ThrowIfNull(options);
        var sim = new RpmOstreedProcess(bus, options);
        try
        {
            File.Copy(options.StateSource, sim.StatePath);
            await File.WriteAllTextAsync(sim.RegistryPath, options.RegistryJson ?? "{}").ConfigureAwait(false);
            await File.WriteAllTextAsync(sim.FaultsPath, options.FaultsJson ?? "{}").ConfigureAwait(false);
            await sim.LaunchAsync().ConfigureAwait(false);
            return sim;
        }
        catch
        {
            sim.Dispose();
            throw;
        }
    }

    /// <summary>Kills the simulator (SIGKILL, like a crash) and waits for it to be gone.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } p)
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit(5000);
        }
    }

    /// <summary>Kills it if it still runs, then starts a new one on the same state file (a daemon restart).</summary>
    public async Task RestartAsync()
    {
        Kill();
        _process?.Dispose();
        // Whatever transaction was running ended with the process, without a Finished.
        Record("""{"event": "stopped"}""");
        await LaunchAsync().ConfigureAwait(false);
    }

    /// <summary>Replaces the faults file and makes the running simulator re-read it (SIGHUP).</summary>
    public async Task SetFaultsAsync(string faultsJson)
    {
        await File.WriteAllTextAsync(FaultsPath, faultsJson).ConfigureAwait(false);
        ReloadFaults();
    }

    /// <summary>Sends SIGHUP: the simulator re-reads its faults file.</summary>
    public void ReloadFaults()
    {
        var process = _process ?? throw new InvalidOperationException("not started");
        // A dead process's pid may already belong to someone else: never signal it.
        if (process.HasExited)
        {
            throw new InvalidOperationException("the simulator has exited; write the faults file and restart it instead");
        }

        var pid = process.Id;
        using var kill = Process.Start(Tool.StartInfo("kill", ["-HUP", pid.ToString(CultureInfo.InvariantCulture)]));
        kill?.WaitForExit(2000);
    }

    /// <summary>Waits (bounded) for the simulator to exit on its own and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        var process = _process ?? throw new InvalidOperationException("not started");
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"the simulator did not exit within {timeout} (running: {!process.HasExited}); stderr so far: {StandardError}");
        }

        return process.ExitCode;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Kill();
        _process?.Dispose();
        _dir.Dispose();
    }

    private async Task LaunchAsync()
    {
        var args = new List<string>
        {
            SimulatorScript.ScriptPath, "--bus", _bus.Address, "--state", StatePath, "--registry", RegistryPath,
            "--faults", FaultsPath, "--run-dir", _dir.Path, "--speed", _options.Speed.ToString(CultureInfo.InvariantCulture),
            // rpm-ostreed exits when idle and the bus starts it again, as on a host.
            "--activation-dir", _bus.ServiceDirectory,
        };
        if (_options.OsName is { } osName)
        {
            args.AddRange(["--osname", osName]);
        }

        _process = Process.Start(Tool.StartInfo(SimulatorScript.Python, args))
            ?? throw new InvalidOperationException("could not start the rpm-ostreed simulator");
        var stderr = _process.StandardError;
        _ = Task.Run(async () =>
        {
            while (await stderr.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                lock (_stderrLines)
                {
                    _stderrLines.AppendLine(line);
                }
            }
        });
        // The script prints its ready line only after every name is owned.
        using var cts = new CancellationTokenSource(s_readyTimeout);
        // A fault (busy) may start a transaction, and say so, before the ready line.
        var line = await _process.StandardOutput.ReadLineAsync(cts.Token).ConfigureAwait(false);
        while (line is not null && Record(line))
        {
            line = await _process.StandardOutput.ReadLineAsync(cts.Token).ConfigureAwait(false);
        }

        if (line is null || !line.Contains("ready", StringComparison.Ordinal))
        {
            _process.WaitForExit(2000);
            throw new InvalidOperationException($"rpm-ostreed simulator did not start: {line} {StandardError}");
        }

        _ = ReadEventsAsync(_process.StandardOutput);
    }

    // stdout carries only JSON events after the ready line; anything else is kept out of the list, not fatal.
    private static JsonObject? Parse(string line)
    {
        try
        {
            return JsonNode.Parse(line) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private async Task ReadEventsAsync(StreamReader stdout)
    {
        while (await stdout.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            Record(line);
        }
    }

    /// <summary>Keeps a lifecycle line, timed now; false when the line is not one.</summary>
    private bool Record(string line)
    {
        var at = Stopwatch.GetTimestamp();
        if (Parse(line) is not { } fields || (string?)fields["event"] is not { } name)
        {
            return false;
        }

        lock (_events)
        {
            _events.Add(new HostEvent(at, name, fields));
        }

        return true;
    }
}
