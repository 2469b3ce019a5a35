using Microsoft.Extensions.Logging;
using NodeDaemon.Core.Agent;
using NodeDaemon.Core.Diagnostics;

namespace NodeDaemon.Agent;

/// <summary>Source-generated log messages of the agent loop.</summary>
public sealed partial class AgentLoop
{
    [LoggerMessage((int)LogEventId.StatusChanged, LogLevel.Information, "Now {Phase}: {Action}, {AgentMessage}")]
    private partial void LogTransition(AgentState phase, string action, string agentMessage);
}
