using Microsoft.Extensions.Logging;
using NodeDaemon.Core.Diagnostics;

namespace NodeDaemon.Kubernetes.Drain;

/// <summary>Log messages of <see cref="PodEvictor"/>.</summary>
internal sealed partial class PodEvictor
{
    [LoggerMessage((int)LogEventId.EvictionRetried, LogLevel.Information, "eviction of {Pod} refused for now ({Why}); retrying in {Delay}")]
    private partial void LogEvictionRetried(string pod, string why, TimeSpan delay);

    [LoggerMessage((int)LogEventId.EvictionRetried, LogLevel.Information,
        "eviction of {Pod} refused for now ({Why}); retrying when the budget can allow it, at the latest in {Delay}")]
    private partial void LogEvictionWaits(string pod, string why, TimeSpan delay);

    [LoggerMessage((int)LogEventId.EvictionRequested, LogLevel.Information, "eviction of {Pod} (uid {PodUid}) accepted by the API server")]
    private partial void LogEvictionRequested(string pod, string podUid);
}
