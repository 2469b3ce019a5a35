using Microsoft.Extensions.Logging;
using NodeDaemon.Core.Diagnostics;

namespace NodeDaemon.Agent;

/// <summary>Source-generated log messages of the notes.</summary>
internal sealed partial class AgentNotes
{
    [LoggerMessage((int)LogEventId.StateFileUnwritable, LogLevel.Error,
        "Could not write the state file {StatePath}: {Problem}; no reboot until it can be written, what is held is given back, trying again every turn")]
    private partial void LogNotesUnwritable(string statePath, string problem);

    [LoggerMessage((int)LogEventId.StateFileWritableAgain, LogLevel.Information, "The state file {StatePath} could be written again")]
    private partial void LogNotesWritableAgain(string statePath);
}
