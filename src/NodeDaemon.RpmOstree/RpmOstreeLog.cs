using Microsoft.Extensions.Logging;
using NodeDaemon.Core.Diagnostics;

namespace NodeDaemon.RpmOstree;

/// <summary>Source-generated log messages of the rpm-ostreed client (<see cref="RpmOstreeHost"/> and the classes it is made of): one home for each line.</summary>
internal static partial class RpmOstreeLog
{
    [LoggerMessage((int)LogEventId.HostStatusWarning, LogLevel.Warning, "rpm-ostreed status: {Warning}")]
    public static partial void StatusWarning(ILogger logger, string warning);

    [LoggerMessage((int)LogEventId.TransactionStarted, LogLevel.Information, "rpm-ostree {Method} transaction at {TransactionAddress}")]
    public static partial void TransactionStarted(ILogger logger, string method, string transactionAddress);

    [LoggerMessage((int)LogEventId.TransactionFinished, LogLevel.Information, "rpm-ostree {Method} finished: success {Success}, {TransactionMessage}")]
    public static partial void TransactionFinished(ILogger logger, string method, bool success, string transactionMessage);

    [LoggerMessage((int)LogEventId.HostBusy, LogLevel.Information, "rpm-ostree is busy with another transaction; waiting: {BusyMessage}")]
    public static partial void Busy(ILogger logger, string busyMessage);

    [LoggerMessage((int)LogEventId.HostVanished, LogLevel.Warning, "rpm-ostreed went away during {Method}; reading the outcome from the deployments")]
    public static partial void Vanished(ILogger logger, string method);

    [LoggerMessage((int)LogEventId.TransactionTimedOut, LogLevel.Error, "rpm-ostree {Method} did not finish within {TimeoutSeconds} s; cancelled")]
    public static partial void TimedOut(ILogger logger, string method, double timeoutSeconds);

    [LoggerMessage((int)LogEventId.AuthFileInstalled, LogLevel.Information, "Registry credentials installed at {AuthPath}")]
    public static partial void AuthInstalled(ILogger logger, string authPath);

    [LoggerMessage((int)LogEventId.AuthFileRejected, LogLevel.Error, "Registry credentials not installed: {Problem}")]
    public static partial void AuthRejected(ILogger logger, string problem);

    [LoggerMessage((int)LogEventId.RebootRequested, LogLevel.Warning, "Reboot requested into {Digest} through {RebootPath}")]
    public static partial void RebootRequested(ILogger logger, string digest, string rebootPath);

    [LoggerMessage((int)LogEventId.HostRebootInitiatedLetGo, LogLevel.Warning,
        "rpm-ostreed refuses new transactions after a reboot it initiated did not happen ({HostMessage}); no longer registered as its client, so that it exits idle and comes back")]
    public static partial void RebootInitiatedLetGo(ILogger logger, string hostMessage);

    [LoggerMessage((int)LogEventId.FinalizeByCommit, LogLevel.Warning,
        "rpm-ostree compares the stage's ostree commit, not the image digest {Digest} (before v2025.7); finalizing again with commit {Commit}")]
    public static partial void FinalizeByCommit(ILogger logger, string digest, string commit);

    [LoggerMessage((int)LogEventId.RollbackRequested, LogLevel.Warning, "Rollback to commit {Checksum}: {RollbackPath}; reboot requested through logind")]
    public static partial void RollbackRequested(ILogger logger, string checksum, string rollbackPath);

    [LoggerMessage((int)LogEventId.RollbackAlreadyDefault, LogLevel.Information, "Commit {Checksum} already boots next (a rollback asked before); only the reboot is asked again")]
    public static partial void RollbackAlreadyDefault(ILogger logger, string checksum);
}
