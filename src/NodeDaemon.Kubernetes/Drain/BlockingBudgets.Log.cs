using Microsoft.Extensions.Logging;
using NodeDaemon.Core.Diagnostics;

namespace NodeDaemon.Kubernetes.Drain;

/// <summary>Log messages of <see cref="BlockingBudgets"/>.</summary>
internal sealed partial class BlockingBudgets
{
    [LoggerMessage((int)LogEventId.EvictionBudgetAllows, LogLevel.Debug, "PDB {Budget} can allow the eviction of {Pod} now; asking again")]
    private partial void LogBudgetAllows(string pod, string budget);
}
