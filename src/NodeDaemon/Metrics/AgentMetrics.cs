using System.Globalization;
using NodeDaemon.Core.Agent;
using NodeDaemon.Kubernetes.Api;
using NodeDaemon.Systemd;

namespace NodeDaemon.Metrics;

/// <summary>The daemon's metrics: fed by the agent loop and the API client, rendered as Prometheus text on request.</summary>
/// <remarks>
/// Every update and the rendering take one lock, each for microseconds: the agent loop and the drain's requests only
/// add to numbers, and a scrape copies them into text while holding it, so neither waits on the other's I/O.
/// The set of metrics is fixed and small, so it is a class of fields rather than a general registry.
/// </remarks>
public sealed partial class AgentMetrics(AgentHeartbeat heartbeat) : IAgentMetrics, IApiRequestObserver
{
    /// <summary>Bounds of the stage histogram: a small layer pulls in seconds, a multi-gigabyte image on a slow link in an hour.</summary>
    internal static readonly double[] StageBuckets = [10, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200];

    /// <summary>Bounds of the drain histogram: up to the longest <c>drain.timeoutSeconds</c> worth a bucket.</summary>
    internal static readonly double[] DrainBuckets = [5, 15, 30, 60, 120, 300, 600, 900, 1800, 3600];

    /// <summary>Bounds of the reboot histogram: a VM reboots in half a minute, bare metal with a slow firmware in many.</summary>
    internal static readonly double[] RebootBuckets = [30, 60, 120, 180, 300, 600, 900, 1800, 3600];

    private static readonly AgentState[] s_phases = Enum.GetValues<AgentState>();
    private static readonly AgentCondition[] s_conditions = Enum.GetValues<AgentCondition>();
    private static readonly FailureKind[] s_failureKinds = Enum.GetValues<FailureKind>();

    private readonly Lock _gate = new();
    private readonly Histogram _stage = new(StageBuckets);
    private readonly Histogram _drain = new(DrainBuckets);
    private readonly Histogram _reboot = new(RebootBuckets);
    private readonly Dictionary<(AgentState From, AgentState To), long> _transitions = [];
    private readonly long[] _failures = new long[s_failureKinds.Length];
    private readonly Dictionary<(string Verb, string Code), long> _requests = [];
    private AgentState _phase = AgentState.Starting;
    private AgentCondition? _condition;
    private (string Image, string Digest)? _booted;
    private NodeSignals _signals = NodeSignals.None;

    /// <inheritdoc />
    public void Transitioned(AgentState previous, AgentState current, AgentCondition condition)
    {
        lock (_gate)
        {
            _phase = current;
            _condition = condition;
            _transitions[(previous, current)] = _transitions.GetValueOrDefault((previous, current)) + 1;
        }
    }

    /// <inheritdoc />
    public void StageCompleted(TimeSpan duration) => Observe(_stage, duration);

    /// <inheritdoc />
    public void DrainCompleted(TimeSpan duration) => Observe(_drain, duration);

    /// <inheritdoc />
    public void RebootCompleted(TimeSpan duration) => Observe(_reboot, duration);

    /// <inheritdoc />
    public void Failed(FailureKind kind)
    {
        lock (_gate)
        {
            _failures[(int)kind]++;
        }
    }

    /// <inheritdoc />
    public void Booted(string image, string digest)
    {
        lock (_gate)
        {
            _booted = (image, digest);
        }
    }

    /// <inheritdoc />
    public void Observed(NodeSignals signals)
    {
        ArgumentNullException.ThrowIfNull(signals);
        lock (_gate)
        {
            _signals = signals;
        }
    }

    /// <inheritdoc />
    public void Completed(string verb, int? statusCode)
    {
        var code = statusCode?.ToString(CultureInfo.InvariantCulture) ?? "error";
        lock (_gate)
        {
            _requests[(verb, code)] = _requests.GetValueOrDefault((verb, code)) + 1;
        }
    }

    /// <summary>Every metric as Prometheus text (format 0.0.4).</summary>
    public string Render()
    {
        var writer = new PrometheusTextWriter();
        lock (_gate)
        {
            writer.Family("nodedaemon_state", "gauge",
                "The node's coarse condition, as in its state annotation: 1 for the current one, 0 for the others (all 0 before the first decision).");
            foreach (var condition in s_conditions)
            {
                writer.Sample("nodedaemon_state", condition == _condition ? 1 : 0, ("state", condition.ToString()));
            }

            writer.Family("nodedaemon_phase", "gauge", "The agent's state, as in the node's phase annotation: 1 for the current one, 0 for the others.");
            foreach (var phase in s_phases)
            {
                writer.Sample("nodedaemon_phase", phase == _phase ? 1 : 0, ("phase", phase.ToString()));
            }

            writer.Family("nodedaemon_transitions_total", "counter", "Changes of the agent's state (phase) since the daemon started.");
            foreach (var ((from, to), count) in _transitions.OrderBy(t => t.Key.From).ThenBy(t => t.Key.To))
            {
                writer.Sample("nodedaemon_transitions_total", count, ("from", from.ToString()), ("to", to.ToString()));
            }

            _stage.Write(writer, "nodedaemon_stage_duration_seconds", "Time to pull and stage the desired image, successful stages only.");
            _drain.Write(writer, "nodedaemon_drain_duration_seconds", "Time to drain the node, successful drains only.");
            _reboot.Write(writer, "nodedaemon_reboot_duration_seconds",
                "Time from the reboot request (persisted across the reboot) to the verified boot on the desired image.");

            writer.Family("nodedaemon_failures_total", "counter", "Failed steps by kind: stage, finalize, drain, verify, api, turn.");
            foreach (var kind in s_failureKinds)
            {
                writer.Sample("nodedaemon_failures_total", _failures[(int)kind], ("kind", kind.ToString().ToLowerInvariant()));
            }

            writer.Family("nodedaemon_booted_image_info", "gauge", "The image the host booted: always 1, the labels say which.");
            if (_booted is var (image, digest))
            {
                writer.Sample("nodedaemon_booted_image_info", 1, ("digest", digest), ("image", image));
            }

            WriteSignals(writer, _signals);

            writer.Family("nodedaemon_api_requests_total", "counter",
                "Requests to the Kubernetes API by HTTP verb (WATCH for a watch stream) and status code (error: no answer).");
            foreach (var ((verb, code), count) in _requests.OrderBy(r => r.Key.Verb, StringComparer.Ordinal).ThenBy(r => r.Key.Code, StringComparer.Ordinal))
            {
                writer.Sample("nodedaemon_api_requests_total", count, ("verb", verb), ("code", code));
            }
        }

        // The heartbeat is read without the lock: it is an interlocked timestamp of its own.
        writer.Family("nodedaemon_loop_last_progress_seconds", "gauge",
            "Seconds since the agent loop last showed progress; the watchdog and /healthz call it stuck past the watchdog timeout.");
        writer.Sample("nodedaemon_loop_last_progress_seconds", Math.Max(0, heartbeat.SinceLastBeat.TotalSeconds));
        return writer.ToString();
    }

    private void Observe(Histogram histogram, TimeSpan duration)
    {
        lock (_gate)
        {
            histogram.Observe(duration.TotalSeconds);
        }
    }
}
