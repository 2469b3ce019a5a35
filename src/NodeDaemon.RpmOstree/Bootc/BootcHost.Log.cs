using Microsoft.Extensions.Logging;
using NodeDaemon.Core.Diagnostics;

namespace NodeDaemon.RpmOstree.Bootc;

/// <summary>Source-generated log messages of the bootc backend.</summary>
public sealed partial class BootcHost
{
    [LoggerMessage((int)LogEventId.HostStatusWarning, LogLevel.Warning, "bootc status: {Warning}")]
    private partial void LogStatusWarning(string warning);

    [LoggerMessage((int)LogEventId.BootcCommandStarted, LogLevel.Information, "Running bootc {BootcArguments}")]
    private partial void LogCommand(string bootcArguments);

    [LoggerMessage((int)LogEventId.BootcStageNotLocked, LogLevel.Warning,
        "This bootc has no download-only mode: the staged image is applied by any reboot, planned or not")]
    private partial void LogStageNotLocked();

    [LoggerMessage((int)LogEventId.RebootRequested, LogLevel.Warning, "Reboot requested into {Digest} through {RebootPath}")]
    private partial void LogRebootRequested(string digest, string rebootPath);

    [LoggerMessage((int)LogEventId.RollbackRequested, LogLevel.Warning, "Rollback to commit {Checksum}: {RollbackPath}; reboot requested through logind")]
    private partial void LogRollbackRequested(string checksum, string rollbackPath);

    [LoggerMessage((int)LogEventId.RollbackAlreadyDefault, LogLevel.Information, "Commit {Checksum} already boots next (a rollback asked before); only the reboot is asked again")]
    private partial void LogRollbackAlreadyQueued(string checksum);
}
