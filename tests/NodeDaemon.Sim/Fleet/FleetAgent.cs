using System.Globalization;
using NodeDaemon.Core.Options;

namespace NodeDaemon.Sim.Fleet;

/// <summary>One simulated node: its host, its state directory, its boot id, and the daemon process running on it, restarted on a reboot or a crash.</summary>
/// <remarks>
/// A reboot (the host's finalization asks for one) stops the process wherever it is, waits the reboot delay, boots the
/// host (a failing node loses its stage at every boot) and starts a new process with a new boot id on the same record
/// file. A crash stops it and starts a new one after systemd's restart delay, in the same boot; so does a loop that
/// ends with an exception. One lifecycle change at a time; a reboot wins over whatever process is running.
/// </remarks>
public sealed class FleetAgent : IAsyncDisposable
{
    private readonly FleetAgentSetup _setup;
    private readonly NodeDaemonOptions _options;
    private readonly bool _losesStage;
    private readonly Random _crashDraws;
    private readonly double _crashRate;
    private readonly SemaphoreSlim _life = new(1, 1);
    private AgentProcess? _process;
    private bool _disposed;
    private int _boots = 1;
    private int _crashes;
    private int _failures;
    private readonly Dictionary<string, int> _failureReasons = new(StringComparer.Ordinal);
    private readonly List<string> _bootedDigests = [];

    /// <summary>Node <paramref name="name"/>, which loses its stage at every boot when <paramref name="losesStage"/>.</summary>
    public FleetAgent(string name, FleetAgentSetup setup, bool losesStage, double crashRate, int seed)
    {
        ArgumentNullException.ThrowIfNull(setup);
        Name = name;
        _setup = setup;
        _losesStage = losesStage;
        _crashRate = crashRate;
        _crashDraws = new Random(seed);
        var state = Path.Combine(setup.StateRoot, name);
        Directory.CreateDirectory(state);
        _options = setup.Options with { NodeName = name, StateDirectory = state };
        if (setup.NodeKubeconfig is { } kubeconfig)
        {
            // Beside the state directory, not in it: the daemon owns what is inside.
            var path = Path.Combine(setup.StateRoot, name + ".kubeconfig");
            File.WriteAllText(path, kubeconfig(name));
            _options = _options with { Kubeconfig = path };
        }
        // Pulls differ from node to node (mirrors, caches, links): half to one and a half times the nominal time. Identical
        // pulls would also make the whole pool ask for slots in the same instant, which no real pool does. A failing
        // node pulls fastest, so it is among the first to take a slot: a halt then has nodes left to stop.
        var pull = setup.StageDelay * (losesStage ? 0.5 : 0.6 + (0.9 * new Random(seed).NextDouble()));
        Host = new SimulatedHost(setup.BootedImage, pull, () => _ = Task.Run(RebootAsync), setup.Pulls);
        _bootedDigests.Add(Host.BootedDigest!.ToString()!);
    }

    /// <summary>The node's name.</summary>
    public string Name { get; }

    /// <summary>The node's host.</summary>
    public SimulatedHost Host { get; }

    /// <summary>Whether this node loses its stage at every boot.</summary>
    public bool LosesStage => _losesStage;

    /// <summary>Boots so far, the first one included.</summary>
    public int Boots => Volatile.Read(ref _boots);

    /// <summary>The digest booted in each boot, the first one included, in order.</summary>
    public IReadOnlyList<string> BootedDigests
    {
        get
        {
            lock (_bootedDigests)
            {
                return [.. _bootedDigests];
            }
        }
    }

    /// <summary>Simulated crashes.</summary>
    public int Crashes => Volatile.Read(ref _crashes);

    /// <summary>Times the loop ended with an exception (the daemon would have exited 1).</summary>
    public int Failures => Volatile.Read(ref _failures);

    /// <summary>What broke the loop last, if anything did.</summary>
    public string? LastFailure { get; private set; }

    /// <summary>What broke the loop, by exception type and the message's first line, with how often.</summary>
    public IReadOnlyDictionary<string, int> FailureReasons()
    {
        lock (_failureReasons)
        {
            return new Dictionary<string, int>(_failureReasons, StringComparer.Ordinal);
        }
    }

    /// <summary>Starts the daemon in the first boot.</summary>
    public void Start() => _process = StartProcess();

    /// <summary>The node reported a new phase: with the crash rate's chance, the daemon crashes right after.</summary>
    public void OnPhaseReported()
    {
        bool crash;
        lock (_crashDraws)
        {
            crash = _crashRate > 0 && _crashDraws.NextDouble() < _crashRate;
        }

        if (crash && Volatile.Read(ref _process) is { } process)
        {
            _ = Task.Run(() => ReplaceAsync(process, _setup.RestartDelay, crashed: true));
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _life.WaitAsync().ConfigureAwait(false);
        try
        {
            _disposed = true;
            if (_process is { } process)
            {
                await process.DisposeAsync().ConfigureAwait(false);
                _process = null;
            }
        }
        finally
        {
            _life.Release();
        }
    }

    private AgentProcess StartProcess()
    {
        var bootId = string.Create(CultureInfo.InvariantCulture, $"{Name}-boot-{Volatile.Read(ref _boots)}");
        var process = AgentProcess.Start(_setup, _options, Host, bootId);
        _ = SuperviseAsync(process);
        return process;
    }

    private async Task SuperviseAsync(AgentProcess process)
    {
        if (await process.Exited.ConfigureAwait(false) is not { } error)
        {
            return;
        }

        Interlocked.Increment(ref _failures);
        LastFailure = error.Message;
        var reason = $"{error.GetType().Name}: {error.Message.Split('\n')[0]}";
        lock (_failureReasons)
        {
            _failureReasons[reason] = _failureReasons.GetValueOrDefault(reason) + 1;
        }
        await ReplaceAsync(process, _setup.RestartDelay, crashed: false).ConfigureAwait(false);
    }

    private async Task ReplaceAsync(AgentProcess expected, TimeSpan down, bool crashed)
    {
        await _life.WaitAsync().ConfigureAwait(false);
        try
        {
            // Another change came first (a reboot, or this process had already been replaced): nothing to do.
            if (_disposed || _process != expected)
            {
                return;
            }

            await expected.DisposeAsync().ConfigureAwait(false);
            _process = null;
            if (crashed)
            {
                Interlocked.Increment(ref _crashes);
            }

            await Task.Delay(down).ConfigureAwait(false);
            _process = _disposed ? null : StartProcess();
        }
        finally
        {
            _life.Release();
        }
    }

    private async Task RebootAsync()
    {
        await _life.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                return;
            }

            // The machine goes down with whichever daemon process runs on it.
            if (_process is { } process)
            {
                await process.DisposeAsync().ConfigureAwait(false);
                _process = null;
            }

            await Task.Delay(_setup.RebootDelay).ConfigureAwait(false);
            Host.Boot(loseStage: _losesStage);
            Interlocked.Increment(ref _boots);
            var booted = Host.BootedDigest?.ToString();
            lock (_bootedDigests)
            {
                _bootedDigests.Add(booted ?? "");
            }

            _setup.Booted?.Invoke(Name, booted);
            _process = _disposed ? null : StartProcess();
        }
        finally
        {
            _life.Release();
        }
    }
}
