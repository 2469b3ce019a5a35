using Microsoft.Extensions.Logging;

namespace NodeDaemon.Agent;

/// <summary>Source-generated log messages of the slot keeper.</summary>
public sealed partial class SlotKeeper
{
    [LoggerMessage((int)Core.Diagnostics.LogEventId.SlotHeldAtStart, LogLevel.Information,
        "{NodeName} holds a slot of pool {Pool} from before this start; renewed it")]
    private partial void LogHeldAtStart(string nodeName, string pool);

    [LoggerMessage((int)Core.Diagnostics.LogEventId.SlotRefused, LogLevel.Information,
        "No slot for {Digest} in pool {Pool}: {AgentMessage}; asking again at {RetryAt}")]
    private partial void LogRefused(string digest, string pool, string agentMessage, DateTimeOffset retryAt);
}
