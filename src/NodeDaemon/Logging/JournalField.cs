namespace NodeDaemon.Logging;

/// <summary>One field of a journal entry: a valid name and its raw (UTF-8) value.</summary>
internal readonly record struct JournalField(string Name, byte[] Value);
