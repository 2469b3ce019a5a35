using System.CommandLine;

namespace NodeDaemon.Cli;

/// <summary><c>nodedaemon validate-config</c>: reads the configuration as <c>run</c> would and prints every problem.</summary>
internal static class ValidateConfigCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var config = new ConfigArguments();
        var command = new Command("validate-config", "Check the configuration files and NODEDAEMON_* variables; print every problem and exit 2 if there is one");
        config.AddTo(command);
        command.SetAction(result =>
        {
            var output = result.InvocationConfiguration.Output;
            var error = result.InvocationConfiguration.Error;
            var loaded = config.LoadForRun(result);
            foreach (var source in loaded.Sources)
            {
                output.WriteLine($"read {source.Name}: {string.Join(", ", source.Keys)}");
            }

            if (loaded.Errors.Count > 0)
            {
                ConfigArguments.WriteProblems(error, loaded.Errors);
                error.WriteLine($"{loaded.Errors.Count} problem(s) found");
                return NodeDaemonCommand.ConfigErrorExitCode;
            }

            // Valid but unsafe: said here and logged at start, and the exit stays 0 (the daemon runs with it).
            foreach (var warning in loaded.Options!.Warnings())
            {
                error.WriteLine($"warning: {warning}");
            }

            output.WriteLine("configuration is valid");
            return 0;
        });
        return command;
    }
}
