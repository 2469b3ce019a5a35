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

    [LoggerMessage((int)LogEventId.CordonLeftAlone, LogLevel.Information, "cordon of node {NodeName} left alone: {Why}")]
    private partial void LogCordonLeftAlone(string nodeName, string why);
}
