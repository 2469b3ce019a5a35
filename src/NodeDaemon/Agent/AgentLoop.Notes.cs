using Microsoft.Extensions.Logging;
using NodeDaemon.Core.Agent;
using NodeDaemon.Core.Diagnostics;

namespace NodeDaemon.Agent;

/// <summary>Writing the notes: a failed write (a full disk) is a condition the decision sees, not the end of the process.</summary>
/// <remarks>
/// A crash on a failed write would restart into the same write and never get further: after the reboot that is the
/// verification, and the node would never be given back. So the notes are kept in memory, the decision holds what must
/// not happen without them (a reboot) and gives back what it holds, and every turn tries the write again.
/// </remarks>
public sealed partial class AgentLoop
{
    private string? _notesUnwritable;

    /// <summary>Keeps <paramref name="record"/> and writes it; false (logged, and seen by the next decision) when the write failed.</summary>
    private bool Save(AgentRecord record)
    {
        _record = record;
        try
        {
            store.Save(record);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (_notesUnwritable is null)
            {
                LogNotesUnwritable(store.Path, e.Message);
            }

            _notesUnwritable = e.Message;
            return false;
        }

        if (_notesUnwritable is not null)
        {
            LogNotesWritableAgain(store.Path);
            _notesUnwritable = null;
        }

        return true;
    }

    /// <summary>Writes the reboot note; when it cannot be written it is not kept either: the reboot was not asked for.</summary>
    private bool SaveBeforeReboot(AgentRecord record)
    {
        var before = _record;
        if (Save(record))
        {
            return true;
        }

        _record = before;
        return false;
    }

    /// <summary>Tries again to write notes whose last write failed.</summary>
    private void RetryUnwrittenNotes()
    {
        if (_notesUnwritable is not null && _record is { } record)
        {
            Save(record);
        }
    }

    /// <summary>The boot's monotonic clock: the time provider's timestamp (CLOCK_MONOTONIC on Linux, which counts from the boot).</summary>
    private TimeSpan Monotonic() => time.GetElapsedTime(0, time.GetTimestamp());

    [LoggerMessage((int)LogEventId.StateFileUnwritable, LogLevel.Error,
        "Could not write the state file {StatePath}: {Problem}; no reboot until it can be written, what is held is given back, trying again every turn")]
    private partial void LogNotesUnwritable(string statePath, string problem);

    [LoggerMessage((int)LogEventId.StateFileWritableAgain, LogLevel.Information, "The state file {StatePath} could be written again")]
    private partial void LogNotesWritableAgain(string statePath);

    [LoggerMessage((int)LogEventId.DrainCancelled, LogLevel.Information, "The drain stopped, the node changed: {AgentMessage}")]
    private partial void LogDrainCancelled(string agentMessage);
}
