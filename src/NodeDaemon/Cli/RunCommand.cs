using System.CommandLine;
using Microsoft.Extensions.Hosting;
using NodeDaemon.Hosting;

namespace NodeDaemon.Cli;

/// <summary><c>nodedaemon run</c>: the daemon, as systemd starts it.</summary>
internal static class RunCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var config = new ConfigArguments();
        var command = new Command("run", "Run the daemon (systemd Type=notify; logs to journald when its socket exists)");
        config.AddTo(command);
        command.SetAction(async (result, cancellation) =>
        {
            if (config.LoadOrReport(result, forRun: true) is not { } options)
            {
                await result.InvocationConfiguration.Error.WriteLineAsync("nodedaemon: not starting; fix the configuration (nodedaemon validate-config)")
                    .ConfigureAwait(false);
                return NodeDaemonCommand.ConfigErrorExitCode;
            }

            using var host = DaemonHost.Build(NodeIdentity.Resolve(options, Environment.GetEnvironmentVariable));
            // Non-zero for every failure (the agent's own code, a faulted service, the host throwing), so that systemd's
            // Restart=on-failure restarts it.
            return await DaemonExit.RunAsync(host, cancellation).ConfigureAwait(false);
        });
        return command;
    }
}
