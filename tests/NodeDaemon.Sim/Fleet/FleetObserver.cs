using System.Text.Json.Nodes;
using NodeDaemon.Sim.KubeApi.Controllers;
using NodeDaemon.Sim.KubeApi.Store;
using NodeDaemon.Sim.Scenarios;

namespace NodeDaemon.Sim.Fleet;

/// <summary>
/// Watches the API server's store from inside (a reactor: it runs in the store's lock on every write, so nothing is
/// missed between polls): how many nodes are cordoned at once, checked on every write; every budget's healthy pods,
/// checked on every pod write; slot grants; and each node's phases, cordon and Done for the timings.
/// </summary>
public sealed class FleetObserver : IStoreReactor
{
    private readonly object _gate = new();
    private readonly int _maxUnavailable;
    private readonly int _haltAfter;
    private readonly string _prefix;
    private readonly RunClock _clock;
    private readonly Dictionary<string, NodeTrack> _nodes = new(StringComparer.Ordinal);
    private readonly HashSet<string> _cordoned = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, bool>> _apps = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _leaseHolders = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _handedAtMs = new(StringComparer.Ordinal);
    private string? _desiredDigest;
    private long? _haltedAtMs;

    /// <summary>Observes a pool with <paramref name="maxUnavailable"/> slots, starting from the objects in <paramref name="store"/> now.</summary>
    public FleetObserver(ObjectStore store, int maxUnavailable, int haltAfter, string prefix, RunClock clock)
    {
        ArgumentNullException.ThrowIfNull(store);
        (_maxUnavailable, _haltAfter, _prefix, _clock) = (maxUnavailable, haltAfter, prefix, clock);
        foreach (var node in store.List(ResourceTypes.Nodes))
        {
            _nodes[ObjectMeta.Name(node)!] = new NodeTrack();
        }

        foreach (var pod in store.List(ResourceTypes.Pods))
        {
            OnPod(pod, deleted: false);
        }
    }

    /// <summary>Called (inside the store's lock: return quickly) when a node reports a new phase: node name, phase.</summary>
    public event Action<string, string>? PhaseReported;

    /// <summary>The most nodes cordoned at the same moment.</summary>
    public int MaxConcurrentCordoned { get; private set; }

    /// <summary>Writes after which more than <c>maxUnavailable</c> nodes were cordoned.</summary>
    public int CordonViolations { get; private set; }

    /// <summary>Pod writes after which a budget had fewer healthy pods than it allows (here: none of an application's pods Ready and running).</summary>
    public int BudgetViolations { get; private set; }

    /// <summary>Leases that came to name a new holder.</summary>
    public int SlotGrants { get; private set; }

    /// <summary>Slot grants that were a hand-over: the Lease went from one holder straight to the next.</summary>
    public int SlotHandOvers { get; private set; }

    /// <summary>Times a held Lease was left free (or deleted): each wakes every waiting node.</summary>
    public int SlotsFreed { get; private set; }

    /// <summary>Per hand-over, run milliseconds from the releasing node's Done to the Lease naming the next holder.</summary>
    public List<long> DoneToHandOverMs { get; } = [];

    /// <summary>Per hand-over, run milliseconds from the Lease naming the next holder to that node's cordon.</summary>
    public List<long> HandOverToCordonMs { get; } = [];

    /// <summary>Slots granted after the pool had <c>haltAfterFailures</c> Degraded nodes on the desired image.</summary>
    public int SlotGrantsAfterHalt { get; private set; }

    /// <summary>Run time at which the pool reached its halt threshold; null when it did not.</summary>
    public long? HaltedAtMs
    {
        get
        {
            lock (_gate)
            {
                return _haltedAtMs;
            }
        }
    }

    /// <summary>From now on a node is Done only on <paramref name="digest"/>, and cordons count towards its update.</summary>
    public void Expect(string digest)
    {
        lock (_gate)
        {
            _desiredDigest = digest;
        }
    }

    /// <summary>A copy of every node's track, by name.</summary>
    public IReadOnlyDictionary<string, NodeTrack> Nodes()
    {
        lock (_gate)
        {
            return _nodes.ToDictionary(n => n.Key, n => Copy(n.Value), StringComparer.Ordinal);
        }
    }

    /// <inheritdoc />
    public void OnChange(ObjectStore store, StoreEvent change)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (change.Resource == ResourceTypes.Nodes && change.Type != "DELETED")
        {
            OnNode(change.Item);
        }
        else if (change.Resource == ResourceTypes.Pods)
        {
            OnPod(change.Item, change.Type == "DELETED");
        }
        else if (change.Resource == ResourceTypes.Leases)
        {
            OnLease(change.Item, change.Type == "DELETED");
        }
    }

    private void OnNode(JsonObject node)
    {
        var name = ObjectMeta.Name(node)!;
        var annotations = node["metadata"]?["annotations"];
        var phase = (string?)annotations?[_prefix + "phase"];
        var cordoned = (bool?)node["spec"]?["unschedulable"] == true;
        string? newPhase = null;
        lock (_gate)
        {
            if (!_nodes.TryGetValue(name, out var track))
            {
                _nodes[name] = track = new NodeTrack();
            }

            var now = _clock.ElapsedMilliseconds;
            if (phase != track.Phase)
            {
                if (track.Phase is { } old && _desiredDigest is not null)
                {
                    track.PhaseMs[old] = track.PhaseMs.GetValueOrDefault(old) + (now - track.PhaseSinceMs);
                }

                (track.Phase, track.PhaseSinceMs, newPhase) = (phase, now, phase);
            }

            track.State = (string?)annotations?[_prefix + "state"];
            track.Message = (string?)annotations?[_prefix + "message"];
            track.Cordoned = cordoned;
            if (cordoned ? _cordoned.Add(name) : _cordoned.Remove(name))
            {
                MaxConcurrentCordoned = Math.Max(MaxConcurrentCordoned, _cordoned.Count);
                if (_cordoned.Count > _maxUnavailable)
                {
                    CordonViolations++;
                }
            }

            if (_desiredDigest is { } desired)
            {
                if (cordoned)
                {
                    if (track.CordonedAtMs is null && _handedAtMs.Remove(name, out var handed))
                    {
                        HandOverToCordonMs.Add(now - handed);
                    }

                    track.CordonedAtMs ??= now;
                }

                var current = (string?)annotations?[_prefix + "current-image"] ?? "";
                if (track.DoneAtMs is null && track.State == "Done" && phase == "Idle" && !cordoned && current.EndsWith("@" + desired, StringComparison.Ordinal))
                {
                    track.DoneAtMs = now;
                }

                if (track.DegradedAtMs is null && track.State == "Degraded")
                {
                    track.DegradedAtMs = now;
                    if (_haltedAtMs is null && _nodes.Values.Count(n => n.DegradedAtMs is not null) >= _haltAfter)
                    {
                        _haltedAtMs = now;
                    }
                }
            }
        }

        if (newPhase is not null)
        {
            PhaseReported?.Invoke(name, newPhase);
        }
    }

    private void OnPod(JsonObject pod, bool deleted)
    {
        var app = ObjectMeta.Namespace(pod)!;
        var uid = ObjectMeta.Uid(pod)!;
        lock (_gate)
        {
            if (!_apps.TryGetValue(app, out var pods))
            {
                _apps[app] = pods = new Dictionary<string, bool>(StringComparer.Ordinal);
            }

            var wasHealthy = pods.Count(p => p.Value);
            if (deleted)
            {
                pods.Remove(uid);
            }
            else
            {
                pods[uid] = !PodStatus.IsTerminating(pod) && PodStatus.IsReady(pod);
            }

            // The budget is maxUnavailable 1 of FleetSeed.PodsPerNode: a write that leaves fewer healthy broke it
            // (counted once per drop, not again while it stays broken).
            var healthy = pods.Count(p => p.Value);
            if (healthy < FleetSeed.PodsPerNode - 1 && healthy < wasHealthy)
            {
                BudgetViolations++;
            }
        }
    }

    private void OnLease(JsonObject lease, bool deleted)
    {
        var name = ObjectMeta.Name(lease)!;
        var holder = deleted ? "" : (string?)lease["spec"]?["holderIdentity"] ?? "";
        lock (_gate)
        {
            var before = _leaseHolders.GetValueOrDefault(name, "");
            _leaseHolders[name] = holder;
            if (holder.Length == 0 && before.Length > 0)
            {
                SlotsFreed++;
            }

            if (holder.Length > 0 && holder != before)
            {
                SlotGrants++;
                if (before.Length > 0 && _desiredDigest is not null)
                {
                    SlotHandOvers++;
                    var now = _clock.ElapsedMilliseconds;
                    _handedAtMs[holder] = now;
                    if (_nodes.TryGetValue(before, out var releaser) && releaser.DoneAtMs is { } done)
                    {
                        DoneToHandOverMs.Add(now - done);
                    }
                }

                if (_haltedAtMs is not null)
                {
                    SlotGrantsAfterHalt++;
                }
            }
        }
    }

    private static NodeTrack Copy(NodeTrack track)
    {
        var copy = new NodeTrack
        {
            Phase = track.Phase,
            State = track.State,
            Message = track.Message,
            Cordoned = track.Cordoned,
            CordonedAtMs = track.CordonedAtMs,
            DoneAtMs = track.DoneAtMs,
            DegradedAtMs = track.DegradedAtMs,
            PhaseSinceMs = track.PhaseSinceMs,
        };
        foreach (var (phase, ms) in track.PhaseMs)
        {
            copy.PhaseMs[phase] = ms;
        }

        return copy;
    }
}
