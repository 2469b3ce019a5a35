using Microsoft.Extensions.Logging;
using NodeDaemon.Core.Diagnostics;

namespace NodeDaemon.Kubernetes.Fleet;

/// <summary>Log messages of the staging slot client.</summary>
public sealed partial class LeaseStagingSlotClient
{
    [LoggerMessage((int)LogEventId.StagingSlotTaken, LogLevel.Information, "took staging slot {Lease} of pool {Pool} for {NodeName} to pull {Image}")]
    private partial void LogTaken(string lease, string pool, string nodeName, string image);

    [LoggerMessage((int)LogEventId.StagingSlotsFull, LogLevel.Information, "no free staging slot in pool {Pool} ({Slots} pulls at once)")]
    private partial void LogFull(string pool, int slots);

    [LoggerMessage((int)LogEventId.StagingSlotReleased, LogLevel.Information, "gave staging slot {Lease} back (node {NodeName})")]
    private partial void LogReleased(string lease, string nodeName);

    [LoggerMessage((int)LogEventId.StagingSlotExpiredTaken, LogLevel.Warning, "staging slot {Lease} of {Holder} had expired (not renewed); taken by {NodeName}")]
    private partial void LogExpiredTaken(string lease, string holder, string nodeName);

    [LoggerMessage((int)LogEventId.StagingSlotHandedOver, LogLevel.Information, "handed staging slot {Lease} from {NodeName} to {Successor}, which waits to pull")]
    private partial void LogHandedOver(string lease, string nodeName, string successor);
}
