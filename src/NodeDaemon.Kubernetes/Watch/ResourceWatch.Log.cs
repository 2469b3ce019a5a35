using Microsoft.Extensions.Logging;
using NodeDaemon.Core.Diagnostics;

namespace NodeDaemon.Kubernetes.Watch;

/// <summary>Log messages of <see cref="ResourceWatch"/>.</summary>
internal sealed partial class ResourceWatch
{
    [LoggerMessage((int)LogEventId.WatchReconnecting, LogLevel.Warning, "watch of {What}: {Problem}; reconnecting in {Delay}")]
    private partial void LogReconnecting(string what, string problem, TimeSpan delay);

    [LoggerMessage((int)LogEventId.WatchRelisting, LogLevel.Information,
        "watch of {What}: starting again from the current state at resourceVersion {ResourceVersion}: {Why}")]
    private partial void LogRelisting(string what, string resourceVersion, string why);
}
