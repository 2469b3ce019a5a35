using NodeDaemon.Core.Options;

namespace NodeDaemon.Core.Cluster;

/// <summary>The node annotation keys of one protocol; see docs/protocol.md for the mapping.</summary>
/// <param name="DesiredImage">Input: the image the node should run.</param>
/// <param name="Paused">Input: <c>true</c> holds the node before any disruption.</param>
/// <param name="CurrentImage">Output: the booted image with its digest.</param>
/// <param name="State">Output: <c>Done</c>, <c>Working</c> or <c>Degraded</c>.</param>
/// <param name="Phase">Output: the agent's state name.</param>
/// <param name="Reason">Output: why the node is Degraded.</param>
/// <param name="Message">Output: the latest progress line.</param>
/// <param name="CordonedBy">Output: present only while the daemon holds a cordon it made.</param>
public sealed record AnnotationKeys(
    string DesiredImage,
    string Paused,
    string CurrentImage,
    string State,
    string Phase,
    string Reason,
    string Message,
    string CordonedBy)
{
    /// <summary>The machine-config-operator's prefix, used for the keys it defines.</summary>
    public const string MachineConfigPrefix = "machineconfiguration.openshift.io/";

    /// <summary>The keys for <paramref name="protocol"/>; <paramref name="prefix"/> holds every key the protocol does not define.</summary>
    public static AnnotationKeys For(AnnotationProtocol protocol, string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var own = new AnnotationKeys(
            prefix + "desired-image",
            prefix + "paused",
            prefix + "current-image",
            prefix + "state",
            prefix + "phase",
            prefix + "reason",
            prefix + "message",
            prefix + "cordoned-by")
        {
            DegradedLabel = prefix + "degraded",
            WaitingLabel = prefix + "waiting-for-slot",
            RejectedImage = prefix + "rejected-image",
        };
        // The MCO has no paused, phase, message or cordon mark: those stay under our prefix, so the cordon is
        // still lifted only when it is ours.
        return protocol == AnnotationProtocol.MachineConfigOperator
            ? own with
            {
                DesiredImage = MachineConfigPrefix + "desiredImage",
                CurrentImage = MachineConfigPrefix + "currentImage",
                State = MachineConfigPrefix + "state",
                Reason = MachineConfigPrefix + "reason",
            }
            : own;
    }

    /// <summary>
    /// Output label: <c>true</c> while the node reports Degraded, absent otherwise. A label because a label selector can
    /// find the few Degraded nodes of a pool (the halt) without reading every node of it.
    /// </summary>
    public string DegradedLabel { get; init; } = "nodedaemon.io/degraded";

    /// <summary>
    /// Output label: <c>true</c> while the node reports the phase <c>WaitingForSlot</c> (and is not Degraded), absent
    /// otherwise. A label so that a holder handing its slot on reads a page of the waiting nodes, not every node of the pool.
    /// </summary>
    public string WaitingLabel { get; init; } = "nodedaemon.io/waiting-for-slot";

    /// <summary>
    /// Output (cleared by an admin): the digest reference of an image the daemon rolled back from or the host fell back from,
    /// which it does not stage again while it is desired. Under our prefix in every protocol: the MCO has no such key.
    /// </summary>
    public string RejectedImage { get; init; } = "nodedaemon.io/rejected-image";

    /// <summary>The keys the daemon itself writes.</summary>
    public IReadOnlyList<string> Outputs => [CurrentImage, State, Phase, Reason, Message, CordonedBy];
}
