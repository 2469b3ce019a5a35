using Microsoft.Extensions.Logging;
using NodeDaemon.Core.Diagnostics;

namespace NodeDaemon.Kubernetes.Fleet;

/// <summary>Log messages of the slot Lease classes (<see cref="LeaseSlotClient"/> and the holder, store and watch it is made of): one home for each line.</summary>
internal static partial class SlotLog
{
    [LoggerMessage((int)LogEventId.SlotAcquired, LogLevel.Information, "took slot {Lease} of pool {Pool} for {NodeName} to update to {Digest}")]
    public static partial void Acquired(ILogger logger, string lease, string pool, string nodeName, string digest);

    [LoggerMessage((int)LogEventId.SlotTakenOver, LogLevel.Warning, "slot {Lease} taken over from {Holder} by {NodeName}: {Why}")]
    public static partial void TakenOver(ILogger logger, string lease, string holder, string nodeName, string why);

    [LoggerMessage((int)LogEventId.SlotsFull, LogLevel.Information, "no free slot in pool {Pool} ({Slots} slots): held by {Holders}")]
    public static partial void Full(ILogger logger, string pool, int slots, string holders);

    [LoggerMessage((int)LogEventId.SlotsHalted, LogLevel.Warning, "pool {Pool} halted: {Count} nodes Degraded on {Digest}: {Nodes}")]
    public static partial void Halted(ILogger logger, string pool, int count, string digest, string nodes);

    [LoggerMessage((int)LogEventId.SlotGivenBackHalted, LogLevel.Warning,
        "gave slot {Lease} back at once (node {NodeName}): the pool halted before the grant was checked, {Count} nodes Degraded on {Digest}: {Nodes}")]
    public static partial void GivenBackHalted(ILogger logger, string lease, string nodeName, int count, string digest, string nodes);

    [LoggerMessage((int)LogEventId.SlotReleased, LogLevel.Information, "gave slot {Lease} back (node {NodeName})")]
    public static partial void Released(ILogger logger, string lease, string nodeName);

    [LoggerMessage((int)LogEventId.SlotRenewed, LogLevel.Debug, "renewed slot {Lease} (node {NodeName})")]
    public static partial void Renewed(ILogger logger, string lease, string nodeName);

    [LoggerMessage((int)LogEventId.LeaseCreated, LogLevel.Information, "created Lease {Namespace}/{Lease} (resourceVersion {ResourceVersion})")]
    public static partial void LeaseCreated(ILogger logger, string @namespace, string lease, string resourceVersion);

    // Debug: a renewal is one of these every renew interval while a slot is held.
    [LoggerMessage((int)LogEventId.LeaseUpdated, LogLevel.Debug, "wrote Lease {Namespace}/{Lease} (resourceVersion {ResourceVersion})")]
    public static partial void LeaseUpdated(ILogger logger, string @namespace, string lease, string resourceVersion);

    [LoggerMessage((int)LogEventId.SlotRaceLost, LogLevel.Debug, "slot {Lease} changed before the write of {NodeName} (409); reading the slots again")]
    public static partial void RaceLost(ILogger logger, string lease, string nodeName);

    [LoggerMessage((int)LogEventId.SlotHandedOver, LogLevel.Information, "handed slot {Lease} from {NodeName} to {Successor}, waiting to update to {Digest}")]
    public static partial void HandedOver(ILogger logger, string lease, string nodeName, string successor, string digest);

    [LoggerMessage((int)LogEventId.SlotTakenUp, LogLevel.Information, "took up slot {Lease} for {NodeName}, handed over by {By}, to update to {Digest}")]
    public static partial void TookUp(ILogger logger, string lease, string nodeName, string by, string digest);

    [LoggerMessage((int)LogEventId.SlotStrayKept, LogLevel.Warning,
        "slot {Lease} was handed to {NodeName}, which holds another; it could not be handed on ({Problem}) and goes with our release")]
    public static partial void StrayKept(ILogger logger, string lease, string nodeName, string problem);

    [LoggerMessage((int)LogEventId.SlotLost, LogLevel.Warning, "node {NodeName} holds no slot of pool {Pool} any more (released or taken over)")]
    public static partial void Lost(ILogger logger, string nodeName, string pool);
}
