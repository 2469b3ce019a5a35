using Microsoft.Extensions.Logging;
using NodeDaemon.Core.Diagnostics;

namespace NodeDaemon.Kubernetes.Drain;

/// <summary>Log messages of <see cref="PodGoneWatch"/>.</summary>
internal sealed partial class PodGoneWatch
{
    [LoggerMessage((int)LogEventId.DrainWatchRelisting, LogLevel.Information,
        "watch of the pods on node {NodeName}: {Problem}; listing them again")]
    private partial void LogRelisting(string nodeName, string problem);
}
