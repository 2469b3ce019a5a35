using Microsoft.Extensions.Logging;
using NodeDaemon.Core.Diagnostics;

namespace NodeDaemon.RpmOstree;

/// <summary>Source-generated log messages of the rpm-ostreed client.</summary>
public sealed partial class RpmOstreeHost
{
    [LoggerMessage((int)LogEventId.HostStatusWarning, LogLevel.Warning, "rpm-ostreed status: {Warning}")]
    private partial void LogStatusWarning(string warning);

    [LoggerMessage((int)LogEventId.TransactionStarted, LogLevel.Information, "rpm-ostree {Method} transaction at {TransactionAddress}")]
    private partial void LogTransactionStarted(string method, string transactionAddress);

    [LoggerMessage((int)LogEventId.TransactionFinished, LogLevel.Information, "rpm-ostree {Method} finished: success {Success}, {TransactionMessage}")]
    private partial void LogTransactionFinished(string method, bool success, string transactionMessage);

    [LoggerMessage((int)LogEventId.HostBusy, LogLevel.Information, "rpm-ostree is busy with another transaction; waiting: {BusyMessage}")]
    private partial void LogBusy(string busyMessage);

    [LoggerMessage((int)LogEventId.HostVanished, LogLevel.Warning, "rpm-ostreed went away during {Method}; reading the outcome from the deployments")]
    private partial void LogVanished(string method);

    [LoggerMessage((int)LogEventId.TransactionTimedOut, LogLevel.Error, "rpm-ostree {Method} did not finish within {TimeoutSeconds} s; cancelled")]
    private partial void LogTimedOut(string method, double timeoutSeconds);

    [LoggerMessage((int)LogEventId.AuthFileInstalled, LogLevel.Information, "Registry credentials installed at {AuthPath}")]
    private partial void LogAuthInstalled(string authPath);

    [LoggerMessage((int)LogEventId.AuthFileRejected, LogLevel.Error, "Registry credentials not installed: {Problem}")]
    private partial void LogAuthRejected(string problem);

    [LoggerMessage((int)LogEventId.RebootRequested, LogLevel.Warning, "Reboot requested into {Digest} through {RebootPath}")]
    private partial void LogRebootRequested(string digest, string rebootPath);

    [LoggerMessage((int)LogEventId.HostRebootInitiatedLetGo, LogLevel.Warning,
        "rpm-ostreed refuses new transactions after a reboot it initiated did not happen ({HostMessage}); no longer registered as its client, so that it exits idle and comes back")]
    private partial void LogRebootInitiatedLetGo(string hostMessage);

    [LoggerMessage((int)LogEventId.FinalizeByCommit, LogLevel.Warning,
        "rpm-ostree compares the stage's ostree commit, not the image digest {Digest} (before v2025.7); finalizing again with commit {Commit}")]
    private partial void LogFinalizeByCommit(string digest, string commit);
}
