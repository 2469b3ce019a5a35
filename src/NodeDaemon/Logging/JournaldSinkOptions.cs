namespace NodeDaemon.Logging;

/// <summary>Settings of the <see cref="JournaldSink"/>; the defaults suit a daemon run by systemd.</summary>
public sealed record JournaldSinkOptions
{
    /// <summary>The journal's native-protocol datagram socket.</summary>
    public string SocketPath { get; init; } = JournaldSinkDefaults.SocketPath;

    /// <summary>The <c>SYSLOG_IDENTIFIER</c> field of every entry.</summary>
    public string SyslogIdentifier { get; init; } = JournaldSinkDefaults.SyslogIdentifier;

    /// <summary>Prefix of the fields made from structured properties: empty, or upper-case letters, digits and <c>_</c>.</summary>
    public string FieldPrefix { get; init; } = JournaldSinkDefaults.FieldPrefix;

    /// <summary>Upper bound of one datagram; over-long values are cut to a common length, with a marker, to fit.</summary>
    public int MaxEntryBytes { get; init; } = JournaldSinkDefaults.MaxEntryBytes;

    /// <summary>Where an entry goes as <c>&lt;N&gt;</c>-prefixed text when the journal cannot take it; null means stderr.</summary>
    public TextWriter? Fallback { get; init; }

    /// <summary>Every problem with these options, empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(SocketPath))
        {
            errors.Add("SocketPath must not be empty.");
        }
        if (string.IsNullOrWhiteSpace(SyslogIdentifier))
        {
            errors.Add("SyslogIdentifier must not be empty.");
        }
        // The prefix is used verbatim, so it must itself be the valid start of a journal field name.
        if (FieldPrefix.Length > 0 && (FieldPrefix.Length > 32 || !JournalFieldName.IsValid(FieldPrefix)))
        {
            errors.Add($"FieldPrefix '{FieldPrefix}' must be at most 32 of [A-Z0-9_], starting with a letter.");
        }
        if (MaxEntryBytes < 4096)
        {
            errors.Add($"MaxEntryBytes {MaxEntryBytes} must be at least 4096.");
        }
        return errors;
    }
}
