namespace NodeDaemon.Core.Options;

/// <summary>The health gate after the boot into a target: what must be healthy, and for how long the daemon waits.</summary>
/// <remarks>
/// The gate holds the node cordoned (and its fleet slot) until every configured check passes; a gate that fails rolls
/// the node back once. <see cref="Timeout"/> zero turns the gate off: the node is Done as soon as the booted digest is
/// the desired one, as before the gate existed.
/// </remarks>
public sealed record HealthOptions
{
    /// <summary>Longest the gate may wait, counted from when it started on this boot; zero turns the gate off.</summary>
    public TimeSpan Timeout { get; init; } = NodeDaemonOptionsDefaults.HealthTimeout;

    /// <summary>Label selectors of pods on this node that must be Ready (the CNI, the node's monitoring DaemonSets).</summary>
    public IReadOnlyList<string> CriticalPodSelectors { get; init; } = [];

    /// <summary>How long a selector may match no pod on the node, from the gate's start, before that counts as a failure.</summary>
    public TimeSpan CriticalPodGrace { get; init; } = NodeDaemonOptionsDefaults.HealthCriticalPodGrace;

    /// <summary>systemd units that must not be failed, read from <c>org.freedesktop.systemd1</c> on the system bus.</summary>
    public IReadOnlyList<string> Units { get; init; } = [];

    /// <summary>Require <c>boot-complete.target</c> to be active, as greenboot and Zincati use it.</summary>
    public bool BootComplete { get; init; }

    /// <summary>The kubelet's local healthz URL that must answer 200; empty leaves the check out.</summary>
    public string KubeletHealthz { get; init; } = "";

    /// <summary>What local evidence may decide while the API server cannot be reached.</summary>
    public ApiSilencePolicy OnApiSilence { get; init; } = ApiSilencePolicy.Wait;

    /// <summary>After a rollback, keep the node cordoned for an admin to look at, rather than give it back on the old image.</summary>
    public bool KeepCordonAfterRollback { get; init; } = true;

    /// <summary>Whether the gate runs at all.</summary>
    public bool Enabled => Timeout > TimeSpan.Zero;

    /// <summary>Value equality, including the lists (a record compares lists by reference).</summary>
    public bool Equals(HealthOptions? other) =>
        other is not null
        && Timeout == other.Timeout
        && (CriticalPodSelectors ?? []).SequenceEqual(other.CriticalPodSelectors ?? [])
        && CriticalPodGrace == other.CriticalPodGrace
        && (Units ?? []).SequenceEqual(other.Units ?? [])
        && BootComplete == other.BootComplete
        && KubeletHealthz == other.KubeletHealthz
        && OnApiSilence == other.OnApiSilence
        && KeepCordonAfterRollback == other.KeepCordonAfterRollback;

    /// <inheritdoc/>
    public override int GetHashCode() =>
        HashCode.Combine(Timeout, CriticalPodSelectors?.Count ?? 0, CriticalPodGrace, Units?.Count ?? 0, BootComplete, KubeletHealthz, OnApiSilence, KeepCordonAfterRollback);
}
