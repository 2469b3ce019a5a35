using Microsoft.Extensions.Logging;
using NodeDaemon.Core.Agent;
using NodeDaemon.Core.Options;
using NodeDaemon.State;

namespace NodeDaemon.Agent;

/// <summary>The notes, in memory and on disk: outcomes go in through <see cref="RecordRules"/>; a failed write (a full
/// disk) is a condition the decision sees, not the end of the process.</summary>
/// <remarks>
/// A crash on a failed write would restart into the same write and never get further: after the reboot that is the
/// verification, and the node would never be given back. So the notes are kept in memory, the decision holds what must
/// not happen without them (a reboot) and gives back what it holds, and every turn tries the write again.
/// </remarks>
internal sealed partial class AgentNotes(AgentRecordStore store, NodeDaemonOptions options, TimeProvider time, ILogger logger)
{
    private AgentRecord? _record;

    /// <summary>The notes now: read from disk once, then as last noted.</summary>
    public AgentRecord Current => _record ??= store.Load();

    /// <summary>Why the last write failed (a full disk); null once a write succeeds.</summary>
    public string? Unwritable { get; private set; }

    /// <summary>At the start of a turn: reads the notes once, and tries again to write notes whose last write failed.</summary>
    public void BeginTurn()
    {
        var record = Current;
        if (Unwritable is not null)
        {
            Save(record);
        }
    }

    /// <summary>Notes <paramref name="outcome"/> for the target keyed <paramref name="key"/>; false (logged, and seen by the
    /// next decision) when the write failed.</summary>
    public bool Note(string? key, AgentOutcome outcome) =>
        Save(RecordRules.Apply(Current, key, outcome, options, time.GetUtcNow()));

    /// <summary>Notes a reboot or rollback request; when that cannot be written it is not kept either: the reboot was not asked for.</summary>
    public bool NoteBeforeReboot(string key, AgentOutcome requested)
    {
        var before = Current;
        if (Note(key, requested))
        {
            return true;
        }

        _record = before;
        return false;
    }

    /// <summary>Keeps <paramref name="record"/> and writes it; false when the write failed.</summary>
    private bool Save(AgentRecord record)
    {
        _record = record;
        try
        {
            store.Save(record);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (Unwritable is null)
            {
                LogNotesUnwritable(store.Path, e.Message);
            }

            Unwritable = e.Message;
            return false;
        }

        if (Unwritable is not null)
        {
            LogNotesWritableAgain(store.Path);
            Unwritable = null;
        }

        return true;
    }
}
