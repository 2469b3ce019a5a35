using NodeDaemon.Agent;
using NodeDaemon.Core.Host;
using NodeDaemon.Core.Options;
using NodeDaemon.Hosting;
using NodeDaemon.Systemd;

namespace NodeDaemon.Sim.Fleet;

/// <summary>One run of the daemon on a simulated node: the agent as a process start builds it (<see cref="AgentComposition"/>), on the simulated host.</summary>
/// <remarks>Nothing but the record file and the host outlives it, exactly as with a real process: a crash or a reboot
/// is this object being stopped and another one started.</remarks>
public sealed class AgentProcess : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private int _stopped;

    private AgentProcess(FleetAgentSetup setup, NodeDaemonOptions options, IHostSystem host, string bootId)
    {
        // What a simulated node has instead of a machine: its host, its boot id, no systemd, and the fleet's timings.
        var parts = new AgentCompositionParts(TimeProvider.System, new AgentHeartbeat(TimeProvider.System), new StatusReporter(SilentNotifier.Instance))
        {
            Host = host,
            BootId = new SimulatedBootId(bootId),
            NodeClient = setup.Transport with { NodeName = options.NodeName },
            PoolRecheck = setup.PoolRecheck,
            SlotRecheck = setup.SlotRecheck,
            WaitWatchTimeout = setup.WaitWatchTimeout,
            StagingRecheck = setup.StagingRecheck,
            StagingLeaseDuration = setup.StagingLeaseDuration,
            IdleTick = setup.IdleTick,
            ProgressReportInterval = setup.ProgressReportInterval,
        };
        Exited = RunAsync(options, parts);
    }

    /// <summary>Completes when the loop has ended: null when it was stopped, else what broke it (the daemon would exit 1).</summary>
    public Task<Exception?> Exited { get; }

    /// <summary>Starts the daemon for <paramref name="options"/>' node on <paramref name="host"/> in boot <paramref name="bootId"/>.</summary>
    public static AgentProcess Start(FleetAgentSetup setup, NodeDaemonOptions options, IHostSystem host, string bootId) =>
        new(setup, options, host, bootId);

    /// <summary>Kills the process: the loop is cancelled wherever it is, nothing is cleaned up but its connections. Once.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        await Exited.ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task<Exception?> RunAsync(NodeDaemonOptions options, AgentCompositionParts parts)
    {
        // Off the caller's thread: a start must not build the clients or run the first turn inside whoever started it.
        await Task.Yield();
        try
        {
            // A start that cannot build the agent ends the process like a broken loop (the daemon exits 1 for both).
            using var agent = await AgentComposition.CreateAsync(options, parts, _stop.Token).ConfigureAwait(false);
            await agent.Loop.RunAsync(_stop.Token).ConfigureAwait(false);
            return null;
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            return null;
        }
#pragma warning disable CA1031 // Whatever ends the loop ends the process; the supervisor restarts it, as systemd would.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return e;
        }
    }
}
