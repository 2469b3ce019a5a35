using Microsoft.Extensions.Logging;
using NodeDaemon.Core.Diagnostics;

namespace NodeDaemon.State;

/// <summary>Log messages of <see cref="AgentRecordStore"/>.</summary>
public sealed partial class AgentRecordStore
{
    [LoggerMessage((int)LogEventId.StateFileCorrupt, LogLevel.Error,
        "State file {StatePath} is unreadable ({Problem}); moved to {MovedTo}, starting from empty notes")]
    private partial void LogCorrupt(string statePath, string problem, string movedTo);
}
