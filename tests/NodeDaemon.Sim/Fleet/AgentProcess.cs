using Microsoft.Extensions.Logging.Abstractions;
using NodeDaemon.Agent;
using NodeDaemon.Core.Host;
using NodeDaemon.Core.Options;
using NodeDaemon.Kubernetes;
using NodeDaemon.Kubernetes.Fleet;
using NodeDaemon.State;
using NodeDaemon.Systemd;

namespace NodeDaemon.Sim.Fleet;

/// <summary>One run of the daemon on a simulated node: its own Kubernetes clients and a new <see cref="AgentLoop"/>, as a process start builds them.</summary>
/// <remarks>Nothing but the record file and the host outlives it, exactly as with a real process: a crash or a reboot
/// is this object being stopped and another one started.</remarks>
public sealed class AgentProcess : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly KubeNodeClient _node;
    private readonly LeaseSlotClient _slots;
    private int _stopped;

    private AgentProcess(FleetAgentSetup setup, NodeDaemonOptions options, IHostSystem host, string bootId)
    {
        var transport = setup.Transport with { NodeName = options.NodeName };
        _node = KubeNodeClient.Create(setup.KubeconfigPath, transport, TimeProvider.System, NullLogger.Instance);
        _slots = LeaseSlotClient.Create(setup.KubeconfigPath, LeaseSlotClientOptions.From(options) with { Transport = transport.Transport, PoolRecheck = setup.PoolRecheck },
            TimeProvider.System, NullLogger.Instance);
        var loop = new AgentLoop(_node, host, _slots,
            new AgentRecordStore(options.StateDirectory, TimeProvider.System, NullLogger<AgentRecordStore>.Instance), new SimulatedBootId(bootId),
            options, TimeProvider.System, new AgentHeartbeat(TimeProvider.System), new StatusReporter(SilentNotifier.Instance),
            NullLogger<AgentLoop>.Instance)
        {
            SlotRecheck = setup.SlotRecheck,
            IdleTick = setup.IdleTick,
            ProgressReportInterval = setup.ProgressReportInterval,
        };
        Exited = RunAsync(loop);
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

    private async Task<Exception?> RunAsync(AgentLoop loop)
    {
        // Off the caller's thread: a start must not run the first turn inside whoever started it.
        await Task.Yield();
        try
        {
            await loop.RunAsync(_stop.Token).ConfigureAwait(false);
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
        finally
        {
            _slots.Dispose();
            _node.Dispose();
        }
    }
}
