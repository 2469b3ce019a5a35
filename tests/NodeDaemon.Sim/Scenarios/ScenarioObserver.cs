using System.Text.Json.Nodes;
using NodeDaemon.Sim.KubeApi.Controllers;
using NodeDaemon.Sim.KubeApi.Store;

namespace NodeDaemon.Sim.Scenarios;

/// <summary>Watches the API server's store from inside (a reactor, so nothing is missed between polls): the own node's
/// phase, state and cordon as a timeline, and every pod of the own node that starts terminating.</summary>
public sealed class ScenarioObserver : IStoreReactor
{
    private readonly string _node;
    private readonly ScenarioKeys _keys;
    private readonly RunClock _clock;
    private readonly List<TimelineEntry> _timeline = [];
    private readonly List<Eviction> _evictions = [];
    private readonly HashSet<string> _evictedUids = [];
    private readonly List<string> _messages = [];

    /// <summary>Observes node <paramref name="node"/>, reading the daemon's annotations under <paramref name="keys"/>.</summary>
    public ScenarioObserver(string node, ScenarioKeys keys, RunClock clock)
    {
        _node = node;
        _keys = keys;
        _clock = clock;
    }

    /// <summary>Every change of phase, state or cordon, in order.</summary>
    public IReadOnlyList<TimelineEntry> Timeline
    {
        get
        {
            lock (_timeline)
            {
                return [.. _timeline];
            }
        }
    }

    /// <summary>Every <c>message</c> the node showed, in order, each once in a row.</summary>
    public IReadOnlyList<string> Messages
    {
        get
        {
            lock (_messages)
            {
                return [.. _messages];
            }
        }
    }

    /// <summary>Pods of the own node that started terminating, in order.</summary>
    public IReadOnlyList<Eviction> Evictions
    {
        get
        {
            lock (_evictions)
            {
                return [.. _evictions];
            }
        }
    }

    /// <inheritdoc />
    public void OnChange(ObjectStore store, StoreEvent change)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (change.Resource == ResourceTypes.Nodes && ObjectMeta.Name(change.Item) == _node && change.Type != "DELETED")
        {
            OnNode(change.Item);
        }
        else if (change.Resource == ResourceTypes.Pods && (string?)change.Item["spec"]?["nodeName"] == _node)
        {
            OnPod(change);
        }
    }

    private void OnNode(JsonObject node)
    {
        var annotations = node["metadata"]?["annotations"];
        var entry = new TimelineEntry(
            _clock.ElapsedMilliseconds,
            (string?)annotations?[_keys.Phase],
            (string?)annotations?[_keys.State],
            (bool?)node["spec"]?["unschedulable"] ?? false,
            annotations?[_keys.CordonedBy] is not null);
        lock (_timeline)
        {
            if (_timeline.Count == 0 || !_timeline[^1].SameAs(entry))
            {
                _timeline.Add(entry);
            }
        }

        if ((string?)annotations?[_keys.Message] is { } message)
        {
            lock (_messages)
            {
                if (_messages.Count == 0 || _messages[^1] != message)
                {
                    _messages.Add(message);
                }
            }
        }
    }

    private void OnPod(StoreEvent change)
    {
        // Terminating now and not before (a graceful delete), or gone without ever terminating (grace 0).
        var began = change.Type == "MODIFIED" && PodStatus.IsTerminating(change.Item) && change.Previous is { } before && !PodStatus.IsTerminating(before);
        var vanished = change.Type == "DELETED" && !PodStatus.IsTerminating(change.Previous ?? change.Item);
        if (!began && !vanished)
        {
            return;
        }

        var uid = ObjectMeta.Uid(change.Item) ?? "";
        lock (_evictions)
        {
            if (_evictedUids.Add(uid))
            {
                _evictions.Add(new Eviction(_clock.ElapsedMilliseconds, $"{ObjectMeta.Namespace(change.Item)}/{ObjectMeta.Name(change.Item)}", uid));
            }
        }
    }
}

/// <summary>The own node at one change.</summary>
/// <param name="AtMs">Milliseconds since the run started.</param>
/// <param name="Phase">The phase annotation.</param>
/// <param name="State">The state annotation.</param>
/// <param name="Unschedulable"><c>spec.unschedulable</c>.</param>
/// <param name="CordonedByUs">The <c>cordoned-by</c> mark is there.</param>
public sealed record TimelineEntry(long AtMs, string? Phase, string? State, bool Unschedulable, bool CordonedByUs)
{
    /// <summary>Same node view, whenever it was seen.</summary>
    public bool SameAs(TimelineEntry other) =>
        other is not null && Phase == other.Phase && State == other.State && Unschedulable == other.Unschedulable && CordonedByUs == other.CordonedByUs;
}

/// <summary>A pod of the own node that started terminating.</summary>
/// <param name="AtMs">Milliseconds since the run started.</param>
/// <param name="Pod"><c>namespace/name</c>.</param>
/// <param name="Uid">The pod's uid (a replacement has a new one).</param>
public sealed record Eviction(long AtMs, string Pod, string Uid);

/// <summary>Milliseconds since the run started, one clock for every recorder.</summary>
public sealed class RunClock
{
    private readonly long _start = System.Diagnostics.Stopwatch.GetTimestamp();

    /// <summary>Now.</summary>
    public long ElapsedMilliseconds => (long)System.Diagnostics.Stopwatch.GetElapsedTime(_start).TotalMilliseconds;

    /// <summary>A <see cref="System.Diagnostics.Stopwatch"/> timestamp on this clock.</summary>
    public long ToMilliseconds(long timestamp) => (long)System.Diagnostics.Stopwatch.GetElapsedTime(_start, timestamp).TotalMilliseconds;
}
