using Microsoft.Extensions.Logging;
using NodeDaemon.Core.Diagnostics;

namespace NodeDaemon.Agent;

/// <summary>Source-generated log messages of the node reporter.</summary>
internal sealed partial class NodeReporter
{
    [LoggerMessage((int)LogEventId.ReportFailed, LogLevel.Warning, "Could not report on the node: {Problem}")]
    private partial void LogReportFailed(string problem);
}
