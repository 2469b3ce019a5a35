using Microsoft.Extensions.Logging;
using NodeDaemon.Core.Diagnostics;

namespace NodeDaemon.Hosting;

/// <summary>Log messages of <see cref="DaemonExit"/>.</summary>
internal static partial class DaemonExit
{
    [LoggerMessage((int)LogEventId.ServiceFailed, LogLevel.Critical, "nodedaemon failed: {Service} ended with: {Problem}")]
    private static partial void LogFailed(ILogger logger, string service, string problem);
}
