using Microsoft.Extensions.Logging;
using NodeDaemon.Core.Diagnostics;

namespace NodeDaemon.Agent;

/// <summary>Source-generated log messages of the drain executor.</summary>
internal sealed partial class DrainExecutor
{
    [LoggerMessage((int)LogEventId.DrainCancelled, LogLevel.Information, "The drain stopped, the node changed: {AgentMessage}")]
    private partial void LogDrainCancelled(string agentMessage);
}
