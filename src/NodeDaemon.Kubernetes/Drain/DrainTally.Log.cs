using Microsoft.Extensions.Logging;
using NodeDaemon.Core.Diagnostics;

namespace NodeDaemon.Kubernetes.Drain;

/// <summary>Log messages of <see cref="DrainTally"/>.</summary>
internal sealed partial class DrainTally
{
    [LoggerMessage((int)LogEventId.DrainProgress, LogLevel.Debug, "{Progress}")]
    private partial void LogProgress(string progress);
}
