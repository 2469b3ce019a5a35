using Microsoft.Extensions.Logging;
using NodeDaemon.Core.Diagnostics;

namespace NodeDaemon.Kubernetes.Drain;

/// <summary>Log messages of <see cref="PodDrainer"/>.</summary>
internal sealed partial class PodDrainer
{
    [LoggerMessage((int)LogEventId.DrainStarted, LogLevel.Information, "draining node {NodeName} (timeout {Timeout})")]
    private partial void LogStarted(string nodeName, TimeSpan timeout);

    [LoggerMessage((int)LogEventId.DrainFinished, LogLevel.Information, "drain of node {NodeName} ended {Outcome}: {Message}")]
    private partial void LogFinished(string nodeName, string outcome, string message);
}
