using System.CommandLine;

namespace NodeDaemon.Cli;

/// <summary>The <c>nodedaemon</c> command line: the root command and its verbs.</summary>
internal static class NodeDaemonCommand
{
    /// <summary>Exit code for a configuration that does not validate (sysexits' EX_CONFIG is 78; 2 is what the docs promise).</summary>
    public const int ConfigErrorExitCode = 2;

    /// <summary>Builds the command tree.</summary>
    public static RootCommand Create()
    {
        var root = new RootCommand("NodeDaemon: converges this Kubernetes node on the desired OS container image through rpm-ostree.")
        {
            RunCommand.Create(),
            VersionCommand.Create(),
            ValidateConfigCommand.Create(),
            ExplainCommand.Create(),
            StatusCommand.Create(),
            Rollout.RolloutCommand.Create(),
        };
        return root;
    }
}
