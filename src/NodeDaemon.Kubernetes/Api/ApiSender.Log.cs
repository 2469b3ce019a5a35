using Microsoft.Extensions.Logging;
using NodeDaemon.Core.Diagnostics;

namespace NodeDaemon.Kubernetes.Api;

/// <summary>Log messages of <see cref="ApiSender"/>.</summary>
internal sealed partial class ApiSender
{
    [LoggerMessage((int)LogEventId.ClusterRequestRetried, LogLevel.Warning,
        "{Method} {Path} failed (attempt {Attempt}): {Problem}; retrying")]
    private partial void LogRetried(string method, string path, int attempt, string problem);
}
