using Microsoft.Extensions.Logging;
using NodeDaemon.Core.Agent;
using NodeDaemon.Core.Diagnostics;

namespace NodeDaemon.Agent;

/// <summary>Source-generated log messages of the agent loop.</summary>
public sealed partial class AgentLoop
{
    [LoggerMessage((int)LogEventId.StatusChanged, LogLevel.Information, "Now {Phase}: {Action}, {AgentMessage}")]
    private partial void LogTransition(AgentState phase, string action, string agentMessage);

    [LoggerMessage((int)LogEventId.StageFailed, LogLevel.Warning, "Staging {Refspec} failed: {Problem}")]
    private partial void LogStageFailed(string refspec, string problem);

    [LoggerMessage((int)LogEventId.FinalizeFailed, LogLevel.Error, "Finalizing {Digest} failed: {Problem}")]
    private partial void LogFinalizeFailed(string digest, string problem);

    [LoggerMessage((int)LogEventId.FinalizeInhibited, LogLevel.Warning, "Finalizing {Digest} refused by a shutdown inhibitor; trying again: {Inhibitor}")]
    private partial void LogFinalizeInhibited(string digest, string inhibitor);

    [LoggerMessage((int)LogEventId.ReportFailed, LogLevel.Warning, "Could not report on the node: {Problem}")]
    private partial void LogReportFailed(string problem);

    [LoggerMessage((int)LogEventId.TurnFailed, LogLevel.Error, "Turn failed ({FailedTurns} in a row), next try in {RetrySeconds} s: {Problem}")]
    private partial void LogTurnFailed(int failedTurns, string problem, double retrySeconds);

    [LoggerMessage((int)LogEventId.TurnsRecovered, LogLevel.Information, "A turn succeeded after {FailedTurns} failed in a row")]
    private partial void LogTurnsRecovered(int failedTurns);
}
