namespace NodeDaemon.Sim.Fleet;

/// <summary>What the <see cref="FleetObserver"/> saw of one node: its latest annotations and when its update began and ended.</summary>
public sealed class NodeTrack
{
    /// <summary>The <c>phase</c> annotation.</summary>
    public string? Phase { get; set; }

    /// <summary>The <c>state</c> annotation.</summary>
    public string? State { get; set; }

    /// <summary>The <c>message</c> annotation.</summary>
    public string? Message { get; set; }

    /// <summary><c>spec.unschedulable</c>.</summary>
    public bool Cordoned { get; set; }

    /// <summary>Run time of the first cordon after the desired image was set; null before.</summary>
    public long? CordonedAtMs { get; set; }

    /// <summary>Run time the node first reported Done on the desired image, uncordoned; null before.</summary>
    public long? DoneAtMs { get; set; }

    /// <summary>Run time the node first reported Degraded; null before.</summary>
    public long? DegradedAtMs { get; set; }

    /// <summary>Milliseconds per phase, summed over the update (from the first cordon for Draining onwards).</summary>
    public Dictionary<string, long> PhaseMs { get; } = new(StringComparer.Ordinal);

    /// <summary>When the current phase began.</summary>
    public long PhaseSinceMs { get; set; }
}
