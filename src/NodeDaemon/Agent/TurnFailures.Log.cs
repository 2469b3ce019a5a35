using Microsoft.Extensions.Logging;
using NodeDaemon.Core.Diagnostics;

namespace NodeDaemon.Agent;

/// <summary>Source-generated log messages of the failed turns.</summary>
internal sealed partial class TurnFailures
{
    [LoggerMessage((int)LogEventId.TurnFailed, LogLevel.Error, "Turn failed ({FailedTurns} in a row), next try in {RetrySeconds} s: {Problem}")]
    private partial void LogTurnFailed(int failedTurns, string problem, double retrySeconds);

    [LoggerMessage((int)LogEventId.TurnsRecovered, LogLevel.Information, "A turn succeeded after {FailedTurns} failed in a row")]
    private partial void LogTurnsRecovered(int failedTurns);
}
