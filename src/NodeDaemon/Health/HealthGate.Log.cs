using Microsoft.Extensions.Logging;
using NodeDaemon.Core.Diagnostics;

namespace NodeDaemon.Health;

/// <summary>The health gate's log lines (event ids 600-619).</summary>
public sealed partial class HealthGate
{
    [LoggerMessage(EventId = (int)LogEventId.HealthGatePassed, Level = LogLevel.Information,
        Message = "Health gate passed on {NodeName}, {SecondsAfterBoot:0} s after boot")]
    private partial void LogPassed(string nodeName, double secondsAfterBoot);

    [LoggerMessage(EventId = (int)LogEventId.HealthGateWaiting, Level = LogLevel.Information,
        Message = "Health gate on {NodeName}: {HealthMessage}")]
    private partial void LogWaiting(string nodeName, string healthMessage);

    [LoggerMessage(EventId = (int)LogEventId.HealthGateFailed, Level = LogLevel.Warning,
        Message = "Health gate failed on {NodeName}: {HealthReason}")]
    private partial void LogFailed(string nodeName, string healthReason);

    [LoggerMessage(EventId = (int)LogEventId.HealthApiSilent, Level = LogLevel.Warning,
        Message = "Health gate on {NodeName}: the API server gives no evidence ({ApiProblem}); waiting it out, never failing on silence alone")]
    private partial void LogApiSilent(string nodeName, string apiProblem);

    [LoggerMessage(EventId = (int)LogEventId.HealthApiAnswering, Level = LogLevel.Information,
        Message = "Health gate on {NodeName}: the API server answers")]
    private partial void LogApiAnswering(string nodeName);
}
