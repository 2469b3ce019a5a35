using Microsoft.Extensions.Logging;

namespace NodeDaemon.Agent;

/// <summary>Source-generated log messages of the slot executor.</summary>
internal sealed partial class SlotExecutor
{
    [LoggerMessage((int)Core.Diagnostics.LogEventId.SlotHeldAtStart, LogLevel.Information,
        "{NodeName} holds a slot of pool {Pool} from before this start; {What}")]
    private partial void LogHeldAtStart(string nodeName, string pool, string what);

    [LoggerMessage((int)Core.Diagnostics.LogEventId.SlotRefused, LogLevel.Information,
        "No slot for {Digest} in pool {Pool}: {AgentMessage}; watching the slots, asking again at {RetryAt} at the latest")]
    private partial void LogRefused(string digest, string pool, string agentMessage, DateTimeOffset retryAt);

    [LoggerMessage((int)Core.Diagnostics.LogEventId.SlotHandedToUs, LogLevel.Information,
        "Slot {Slot} was handed to {NodeName}; taking it up")]
    private partial void LogHandedOver(string slot, string nodeName);

    [LoggerMessage((int)Core.Diagnostics.LogEventId.SlotWatchEnded, LogLevel.Warning,
        "The watch of pool {Pool}'s slots ended: {Problem}; asking again at the recheck instead")]
    private partial void LogWatchEnded(string pool, string problem);
}
