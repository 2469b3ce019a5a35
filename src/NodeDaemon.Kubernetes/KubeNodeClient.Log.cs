using Microsoft.Extensions.Logging;
using NodeDaemon.Core.Diagnostics;

namespace NodeDaemon.Kubernetes;

/// <summary>Log messages of <see cref="KubeNodeClient"/>.</summary>
public sealed partial class KubeNodeClient
{
    [LoggerMessage((int)LogEventId.NodeCordoned, LogLevel.Information, "cordoned node {NodeName} (marked as ours)")]
    private partial void LogCordoned(string nodeName);

    [LoggerMessage((int)LogEventId.NodeUncordoned, LogLevel.Information, "uncordoned node {NodeName} (our cordon)")]
    private partial void LogUncordoned(string nodeName);

    // Debug: the report is rewritten on every progress step, every 30 s while a pull or drain runs.
    [LoggerMessage((int)LogEventId.NodeAnnotated, LogLevel.Debug, "annotated node {NodeName}: state {State}, phase {Phase} (resourceVersion {ResourceVersion})")]
    private partial void LogAnnotated(string nodeName, string state, string phase, string resourceVersion);

    [LoggerMessage((int)LogEventId.NodeConditionsWritten, LogLevel.Debug, "wrote the conditions of node {NodeName}: {Conditions} (resourceVersion {ResourceVersion})")]
    private partial void LogConditionsWritten(string nodeName, string conditions, string resourceVersion);

    [LoggerMessage((int)LogEventId.CordonLeftAlone, LogLevel.Information, "cordon of node {NodeName} left alone: {Why}")]
    private partial void LogCordonLeftAlone(string nodeName, string why);
}
