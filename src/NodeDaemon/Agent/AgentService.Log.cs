using Microsoft.Extensions.Logging;
using NodeDaemon.Core.Diagnostics;

namespace NodeDaemon.Agent;

/// <summary>Log messages of <see cref="AgentService"/>.</summary>
public sealed partial class AgentService
{
    [LoggerMessage((int)LogEventId.Starting, LogLevel.Information,
        "nodedaemon {Version} starting for node {NodeName} (annotation prefix {AnnotationPrefix})")]
    private partial void LogStarting(string version, string nodeName, string annotationPrefix);

    [LoggerMessage((int)LogEventId.ConfigurationWarning, LogLevel.Warning, "configuration warning: {Warning}")]
    private partial void LogConfigurationWarning(string warning);

    [LoggerMessage((int)LogEventId.Stopping, LogLevel.Critical, "nodedaemon cannot run: {Problem}")]
    private partial void LogCannotRun(string problem);
}
