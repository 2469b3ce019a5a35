using Microsoft.Extensions.Logging;
using NodeDaemon.Core.Diagnostics;

namespace NodeDaemon.Agent;

/// <summary>Source-generated log messages of the action executor.</summary>
internal sealed partial class ActionExecutor
{
    [LoggerMessage((int)LogEventId.StageFailed, LogLevel.Warning, "Staging {Refspec} failed: {Problem}")]
    private partial void LogStageFailed(string refspec, string problem);

    [LoggerMessage((int)LogEventId.FinalizeFailed, LogLevel.Error, "Finalizing {Digest} failed: {Problem}")]
    private partial void LogFinalizeFailed(string digest, string problem);

    [LoggerMessage((int)LogEventId.FinalizeInhibited, LogLevel.Warning, "Finalizing {Digest} refused by a shutdown inhibitor; trying again: {Inhibitor}")]
    private partial void LogFinalizeInhibited(string digest, string inhibitor);

    [LoggerMessage((int)LogEventId.HealthChecked, LogLevel.Information, "Health gate on {Digest}: {Verdict}")]
    private partial void LogHealthChecked(string digest, string verdict);

    [LoggerMessage((int)LogEventId.RollingBackAfterGate, LogLevel.Error, "Health gate failed on {Image}: {Reason}; rolling back to the previous deployment")]
    private partial void LogHealthGateFailed(string image, string reason);

    [LoggerMessage((int)LogEventId.RollbackRefused, LogLevel.Error, "Rolling back from {Image} was refused: {Problem}")]
    private partial void LogRollbackRefused(string image, string problem);
}
