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
}
