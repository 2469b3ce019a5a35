using NodeDaemon.Core.Agent;
using NodeDaemon.Core.Health;
using NodeDaemon.Core.Options;

namespace NodeDaemon.Core.Cluster;

/// <summary>The own Node object at one resourceVersion, reduced to what the daemon reads.</summary>
/// <param name="Name">The node name.</param>
/// <param name="Uid">The node's uid (Events name it).</param>
/// <param name="ResourceVersion">The API server's version of this object.</param>
/// <param name="Unschedulable">The node's <c>spec.unschedulable</c>, whoever set it.</param>
/// <param name="Annotations">Every annotation, raw.</param>
/// <param name="Labels">Every label, raw.</param>
public sealed record NodeSnapshot(
    string Name,
    string Uid,
    string ResourceVersion,
    bool Unschedulable,
    IReadOnlyDictionary<string, string> Annotations,
    IReadOnlyDictionary<string, string> Labels)
{
    /// <summary>The node's status conditions, every type (the kubelet's and ours); empty when none were read.</summary>
    public IReadOnlyList<NodeConditionValue> Conditions { get; init; } = [];

    /// <summary>The kubelet's <c>Ready</c> condition with its heartbeat, as the health gate reads it; null when the node has none.</summary>
    /// <remarks>Apart from <see cref="Conditions"/>, which carry no heartbeat: a kubelet that was Ready before the reboot and is Ready
    /// again after it may post only a new <c>lastHeartbeatTime</c>, and that is what shows the gate this boot's Ready.</remarks>
    public NodeReadyCondition? Ready { get; init; }

    /// <summary>The annotation <paramref name="key"/>, or null when absent.</summary>
    public string? Annotation(string key) => Annotations.TryGetValue(key, out var value) ? value : null;

    /// <summary>
    /// True when both resourceVersions are comparable and this one is older than <paramref name="other"/>'s. Comparable
    /// is Kubernetes' own rule (KEP-5504, stable in 1.35: a positive decimal integer without leading zeros, compared
    /// as a number); when either is not, nothing is known to be older and this answers false.
    /// </summary>
    public bool IsOlderThan(NodeSnapshot other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var (mine, theirs) = (ResourceVersion, other.ResourceVersion);
        if (!Comparable(mine) || !Comparable(theirs))
        {
            return false;
        }

        return mine.Length != theirs.Length ? mine.Length < theirs.Length : string.CompareOrdinal(mine, theirs) < 0;
    }

    private static bool Comparable(string version) =>
        version.Length > 0 && version[0] != '0' && version.All(char.IsAsciiDigit);

    /// <summary>What the decision needs, read as <paramref name="options"/> say: their protocol's annotation keys, and the pool label only with fleet coordination on.</summary>
    public NodeView ToView(NodeDaemonOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return ToView(AnnotationKeys.For(options.Protocol, options.AnnotationPrefix), options.Fleet.Enabled ? options.Fleet.PoolLabel : null);
    }

    /// <summary>What the decision needs, read with <paramref name="keys"/>. The desired image stays raw: the Decider validates it.</summary>
    /// <param name="keys">The annotation keys in force.</param>
    /// <param name="poolLabel">The label naming the node's pool (<c>fleet.poolLabel</c>); null leaves the pool unread.</param>
    public NodeView ToView(AnnotationKeys keys, string? poolLabel = null)
    {
        ArgumentNullException.ThrowIfNull(keys);
        // Ours only while both hold: kubectl uncordon patches spec.unschedulable alone and leaves the mark behind.
        var marked = Annotation(keys.CordonedBy) is not null;
        return new NodeView(
            Annotation(keys.DesiredImage),
            string.Equals(Annotation(keys.Paused)?.Trim(), "true", StringComparison.OrdinalIgnoreCase),
            Unschedulable,
            marked && Unschedulable,
            poolLabel is not null && Labels.TryGetValue(poolLabel, out var pool) ? pool : null,
            StaleMark: marked && !Unschedulable,
            RejectedImage: Annotation(keys.RejectedImage) is { Length: > 0 } rejected ? rejected : null);
    }
}
