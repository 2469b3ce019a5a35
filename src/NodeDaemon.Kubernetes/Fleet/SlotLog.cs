using Microsoft.Extensions.Logging;
using NodeDaemon.Core.Diagnostics;

namespace NodeDaemon.Kubernetes.Fleet;

/// <summary>Log messages of <see cref="LeaseSlotClient"/>.</summary>
public sealed partial class LeaseSlotClient
{
    [LoggerMessage((int)LogEventId.SlotAcquired, LogLevel.Information, "took slot {Lease} of pool {Pool} for {NodeName} to update to {Digest}")]
    private partial void LogAcquired(string lease, string pool, string nodeName, string digest);

    [LoggerMessage((int)LogEventId.SlotTakenOver, LogLevel.Warning, "slot {Lease} taken over from {Holder} by {NodeName}: {Why}")]
    private partial void LogTakenOver(string lease, string holder, string nodeName, string why);

    [LoggerMessage((int)LogEventId.SlotsFull, LogLevel.Information, "no free slot in pool {Pool} ({Slots} slots): held by {Holders}")]
    private partial void LogFull(string pool, int slots, string holders);

    [LoggerMessage((int)LogEventId.SlotsHalted, LogLevel.Warning, "pool {Pool} halted: {Count} nodes Degraded on {Digest}: {Nodes}")]
    private partial void LogHalted(string pool, int count, string digest, string nodes);

    [LoggerMessage((int)LogEventId.SlotReleased, LogLevel.Information, "gave slot {Lease} back (node {NodeName})")]
    private partial void LogReleased(string lease, string nodeName);

    [LoggerMessage((int)LogEventId.SlotRenewed, LogLevel.Debug, "renewed slot {Lease} (node {NodeName})")]
    private partial void LogRenewed(string lease, string nodeName);

    [LoggerMessage((int)LogEventId.SlotRaceLost, LogLevel.Debug, "slot {Lease} changed before the write of {NodeName} (409); reading the slots again")]
    private partial void LogRaceLost(string lease, string nodeName);

    [LoggerMessage((int)LogEventId.SlotHandedOver, LogLevel.Information, "handed slot {Lease} from {NodeName} to {Successor}, waiting to update to {Digest}")]
    private partial void LogHandedOver(string lease, string nodeName, string successor, string digest);

    [LoggerMessage((int)LogEventId.SlotTakenUp, LogLevel.Information, "took up slot {Lease} for {NodeName}, handed over by {By}, to update to {Digest}")]
    private partial void LogTookUp(string lease, string nodeName, string by, string digest);

    [LoggerMessage((int)LogEventId.SlotStrayKept, LogLevel.Warning,
        "slot {Lease} was handed to {NodeName}, which holds another; it could not be handed on ({Problem}) and goes with our release")]
    private partial void LogStrayKept(string lease, string nodeName, string problem);

    [LoggerMessage((int)LogEventId.SlotLost, LogLevel.Warning, "node {NodeName} holds no slot of pool {Pool} any more (released or taken over)")]
    private partial void LogLost(string nodeName, string pool);
}
