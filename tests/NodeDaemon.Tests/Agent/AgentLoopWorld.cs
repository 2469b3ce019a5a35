using NodeDaemon.Core.Health;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using NodeDaemon.Agent;
using NodeDaemon.Core.Agent;
using NodeDaemon.Core.Fleet;
using NodeDaemon.Core.Options;
using NodeDaemon.Metrics;
using NodeDaemon.State;
using NodeDaemon.Systemd;
using NodeDaemon.Tests.Systemd;

namespace NodeDaemon.Tests.Agent;

/// <summary>The one set-up of the agent loop tests: a node, a host, a boot id, a state directory and a clock, all fakes,
/// and a new loop (a new daemon process) over them whenever asked.</summary>
/// <param name="prefix">The state directory's name prefix, to tell the tests' directories apart.</param>
/// <param name="slots">The slot seam; none (fleet coordination off) unless given.</param>
internal sealed class AgentLoopWorld(string prefix, ISlotClient? slots = null) : IDisposable
{
    /// <summary>The state directory the notes are written to; deleted on dispose.</summary>
    public DirectoryInfo State { get; } = Directory.CreateTempSubdirectory(prefix);

    /// <summary>The clock every loop of this world reads unless given another.</summary>
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));

    /// <summary>The own Node object.</summary>
    public FakeNodeClient Node { get; } = new();

    /// <summary>The host's deployments.</summary>
    public FakeHostSystem Host { get; } = new();

    /// <summary>The kernel's boot id: set it when the fake host reboots.</summary>
    public string BootId { get; set; } = "boot-1";

    /// <summary>The slot seam the loops get.</summary>
    public ISlotClient Slots { get; } = slots ?? NoSlotClient.Instance;

    /// <summary>A new loop (a new daemon process) over this world; <paramref name="tuning"/> sets its knobs, the rest keep their defaults.</summary>
    public AgentLoop Loop(NodeDaemonOptions? options = null, LoopTuning? tuning = null, TimeProvider? clock = null)
    {
        options ??= new NodeDaemonOptions();
        // A health section left at its defaults means the gate off here: the loop's tests from before the gate describe
        // today's behaviour; the gate's own tests set a health section and a gate (LoopTuning.HealthGate).
        if (options.Health == new HealthOptions())
        {
            options = options with { Health = options.Health with { Timeout = TimeSpan.Zero } };
        }

        if (tuning is null)
        {
            return Plain(options, clock ?? Time);
        }

        // The knobs not tuned keep the loop's own defaults, read from a plain loop rather than written down again here.
        var defaults = Plain(options, clock ?? Time);
        return new AgentLoop(Node, Host, Slots, Store(clock ?? Time), new BootIdSource(() => BootId), options, clock ?? Time,
            new AgentHeartbeat(clock ?? Time), new StatusReporter(new RecordingNotifier()), NullLogger<AgentLoop>.Instance)
        {
            ProgressReportInterval = tuning.ProgressReportInterval ?? defaults.ProgressReportInterval,
            TurnRetryDelay = tuning.TurnRetryDelay ?? defaults.TurnRetryDelay,
            MaxTurnRetryDelay = tuning.MaxTurnRetryDelay ?? defaults.MaxTurnRetryDelay,
            SlotRecheck = tuning.SlotRecheck ?? defaults.SlotRecheck,
            Metrics = tuning.Metrics ?? defaults.Metrics,
            IdleTick = tuning.IdleTick ?? defaults.IdleTick,
            HealthGate = tuning.HealthGate ?? defaults.HealthGate,
        };
    }

    /// <summary>A store over this world's state directory, to read what the loop noted.</summary>
    public AgentRecordStore Store(TimeProvider? clock = null) => new(State.FullName, clock ?? Time, NullLogger<AgentRecordStore>.Instance);

    /// <summary>Turns until <paramref name="until"/> holds for a decision (at most 30), returning every decision.</summary>
    public static async Task<List<Decision>> TurnUntilAsync(AgentLoop loop, Func<Decision, bool> until)
    {
        var decisions = new List<Decision>();
        for (var i = 0; i < 30; i++)
        {
            var decision = await loop.TurnAsync(CancellationToken.None);
            decisions.Add(decision);
            if (until(decision))
            {
                return decisions;
            }
        }

        throw new InvalidOperationException("the loop did not get there: " + string.Join(" | ", decisions.Select(d => d.Action)));
    }

    /// <summary>Turns until the loop rests (nothing to do, or waiting for the reboot) and returns the decisions.</summary>
    public static Task<List<Decision>> SettleAsync(AgentLoop loop) => TurnUntilAsync(loop, Resting);

    /// <summary>Nothing to do, or waiting for the reboot it asked for.</summary>
    public static bool Resting(Decision decision) =>
        decision.Action is AgentAction.None || decision is { State: AgentState.Rebooting, Action: AgentAction.Wait };

    /// <inheritdoc/>
    public void Dispose() => State.Delete(recursive: true);

    private AgentLoop Plain(NodeDaemonOptions options, TimeProvider clock) => new(
        Node, Host, Slots, Store(clock), new BootIdSource(() => BootId), options, clock, new AgentHeartbeat(clock),
        new StatusReporter(new RecordingNotifier()), NullLogger<AgentLoop>.Instance);

    /// <summary>The boot id as the world says it now.</summary>
    private sealed class BootIdSource(Func<string> read) : IBootIdSource
    {
        public string Read() => read();
    }
}

/// <summary>Knobs of a test's loop; null keeps the loop's default.</summary>
internal sealed record LoopTuning(
    TimeSpan? ProgressReportInterval = null,
    TimeSpan? TurnRetryDelay = null,
    TimeSpan? MaxTurnRetryDelay = null,
    TimeSpan? SlotRecheck = null,
    IAgentMetrics? Metrics = null,
    TimeSpan? IdleTick = null,
    IHealthGate? HealthGate = null);
