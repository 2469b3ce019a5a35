using Microsoft.Extensions.Logging;
using NodeDaemon.Core.Diagnostics;

namespace NodeDaemon.Kubernetes.Events;

/// <summary>Log messages of <see cref="EventRecorder"/>.</summary>
internal sealed partial class EventRecorder
{
    [LoggerMessage((int)LogEventId.NodeEventRecorded, LogLevel.Debug, "event {Reason} on the node (count {Count}): {Message}")]
    private partial void LogRecorded(string reason, string message, long count);
}
