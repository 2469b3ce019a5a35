namespace NodeDaemon.Diagnostics;

/// <summary>Every log event id of the daemon; append only, never renumber (journald queries depend on them).</summary>
internal enum LogEventId
{
    /// <summary>The daemon started.</summary>
    Starting = 1,

    /// <summary>The daemon stops.</summary>
    Stopping = 2,

    /// <summary>The options in force.</summary>
    OptionsLoaded = 3,

    /// <summary>The agent reports a new status.</summary>
    StatusChanged = 10,

    /// <summary>The agent loop made no progress for too long; the watchdog is withheld.</summary>
    WatchdogWithheld = 20,

    /// <summary>The agent loop makes progress again.</summary>
    WatchdogResumed = 21,

    /// <summary>The watchdog is on, and how often it is fed.</summary>
    WatchdogEnabled = 22,
}
