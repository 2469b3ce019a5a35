namespace NodeDaemon.RpmOstree;

/// <summary>How a transaction ended, as far as the client could see.</summary>
internal enum TransactionEnd
{
    /// <summary><c>Finished(true, ...)</c>.</summary>
    Succeeded,

    /// <summary><c>Finished(false, message)</c>.</summary>
    Failed,

    /// <summary>The peer connection closed without <c>Finished</c>: rpm-ostreed exited or restarted.</summary>
    Vanished,

    /// <summary>The overall timeout passed; <c>Cancel()</c> was sent.</summary>
    TimedOut,
}

/// <summary>The end of a transaction and rpm-ostreed's message, verbatim.</summary>
internal sealed record TransactionOutcome(TransactionEnd End, string Message);
