using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NodeDaemon.Core.Diagnostics;

namespace NodeDaemon.Hosting;

/// <summary>Runs the host and turns how it ended into the process's exit code: non-zero for every failure.</summary>
/// <remarks>The unit says <c>Restart=on-failure</c>, and systemd restarts only after a non-zero exit or an unclean
/// signal (systemd.service(5), "Table 2. Exit causes and the effect of the Restart= settings"). The generic host ends a
/// <see cref="BackgroundService"/> that throws with a stopped host and exit code 0, so a start-up failure that escaped
/// its service (a kubeconfig with bad base64, YAML or PEM) was never restarted. Here every faulted service and every
/// exception out of the host is exit code 1 with one line naming it.</remarks>
internal static partial class DaemonExit
{
    /// <summary>The exit code for a daemon that failed (not a configuration refused at start, which is 2).</summary>
    public const int FailureExitCode = 1;

    /// <summary>Runs <paramref name="host"/> to its end and returns the exit code.</summary>
    public static async Task<int> RunAsync(IHost host, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DaemonExit).FullName!);
        // Taken before the run: RunAsync disposes the host, and its service provider with it, when it ends.
        var services = host.Services.GetServices<IHostedService>().ToList();
        try
        {
            await host.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped from outside: a clean end.
        }
#pragma warning disable CA1031 // The process's last word: whatever the host threw is a failure with one line, not a stack trace.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogFailed(logger, "the host", OneLine(e));
            return FailureExitCode;
        }

        return ExitCode(services, Environment.ExitCode, (service, problem) => LogFailed(logger, service, problem));
    }

    /// <summary>The exit code for services that ended so: <paramref name="current"/> unless one of them faulted (then 1, each told to <paramref name="failed"/>).</summary>
    public static int ExitCode(IEnumerable<IHostedService> services, int current, Action<string, string> failed)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(failed);
        var code = current;
        foreach (var service in services.OfType<BackgroundService>())
        {
            if (service.ExecuteTask is { IsFaulted: true, Exception: { } fault })
            {
                failed(service.GetType().Name, OneLine(fault.InnerException ?? fault));
                code = FailureExitCode;
            }
        }

        return code;
    }

    /// <summary>The exception's message on one line, with the type when the message alone would not say what broke.</summary>
    public static string OneLine(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var message = exception.Message.ReplaceLineEndings(" ").Trim();
        return message.Length == 0 ? exception.GetType().Name : message;
    }
}
