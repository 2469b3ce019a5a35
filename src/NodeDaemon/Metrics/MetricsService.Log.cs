using Microsoft.Extensions.Logging;
using NodeDaemon.Core.Diagnostics;

namespace NodeDaemon.Metrics;

/// <summary>Log messages of <see cref="MetricsService"/>.</summary>
public sealed partial class MetricsService
{
    [LoggerMessage((int)LogEventId.MetricsListening, LogLevel.Information, "Serving /metrics and /healthz on {MetricsAddress}")]
    private partial void LogListening(string metricsAddress);

    [LoggerMessage((int)LogEventId.MetricsListenFailed, LogLevel.Error,
        "Cannot serve metrics on {MetricsAddress}: {Problem}; trying again in {RetrySeconds} s")]
    private partial void LogListenFailed(string metricsAddress, string problem, double retrySeconds);

    [LoggerMessage((int)LogEventId.MetricsStaleSocketRemoved, LogLevel.Information,
        "Removed the stale socket {SocketPath} an earlier run left behind")]
    private partial void LogStaleSocketRemoved(string socketPath);

    [LoggerMessage((int)LogEventId.MetricsStopped, LogLevel.Information, "Stopped serving metrics on {MetricsAddress}")]
    private partial void LogStopped(string metricsAddress);
}
