using Microsoft.Extensions.Logging;
using NodeDaemon.Core.Diagnostics;

namespace NodeDaemon.Metrics;

/// <summary>Source-generated log messages of the metrics responder.</summary>
internal sealed partial class MetricsServer
{
    [LoggerMessage((int)LogEventId.MetricsRequestFailed, LogLevel.Debug, "A metrics request failed: {Problem}")]
    private partial void LogRequestFailed(string problem);
}
