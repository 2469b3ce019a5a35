using System.CommandLine;

namespace NodeDaemon.Cli.Rollout;

/// <summary><c>nodedaemon rollout</c> (also <c>kubectl nodedaemon rollout</c>): the admin's side of an OS image rollout.</summary>
internal static class RolloutCommand
{
    /// <summary>Builds the verb and its sub-verbs.</summary>
    public static Command Create() => new("rollout", "Start, watch, pause, resume, undo and explain an OS image rollout over a pool of nodes, with your kubeconfig")
    {
        RolloutStatusCommand.Create(),
        RolloutStartCommand.Create(),
        RolloutWriteCommands.Pause(),
        RolloutWriteCommands.Resume(),
        RolloutWriteCommands.Undo(),
        RolloutExplainCommand.Create(),
    };
}
