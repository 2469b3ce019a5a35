using System.CommandLine;

namespace NodeDaemon.Cli.Rollout;

/// <summary><c>rollout pause</c>, <c>resume</c> and <c>undo</c>: one conditional write per node of the pool.</summary>
internal static class RolloutWriteCommands
{
    /// <summary><c>pause</c>: sets <c>paused: true</c>, which holds each node before any disruption (the daemon's own rule).</summary>
    public static Command Pause() => Create("pause", "Hold every node of the pool before any disruption (the paused annotation)",
        (node, settings) => node.Paused ? null : new Dictionary<string, string?>(StringComparer.Ordinal) { [settings.Keys.Paused] = "true" });

    /// <summary><c>resume</c>: removes <c>paused</c>.</summary>
    public static Command Resume() => Create("resume", "Let the pool's paused nodes go on (removes the paused annotation)",
        (node, settings) => node.Paused ? new Dictionary<string, string?>(StringComparer.Ordinal) { [settings.Keys.Paused] = null } : null);

    /// <summary><c>undo</c>: the desired image recorded by <c>start</c> back on each node.</summary>
    public static Command Undo() => Create("undo", "Point each node back at the image it wanted before rollout start (recorded in rollout-previous-image)",
        RolloutPlanner.UndoAnnotations);

    private static Command Create(string name, string description, Func<RolloutNode, RolloutSettings, IReadOnlyDictionary<string, string?>?> change)
    {
        var cluster = new ClusterArguments();
        var selection = new NodeSelection();
        var command = new Command(name, description);
        selection.AddTo(command);
        cluster.AddTo(command);
        command.SetAction(async (result, cancellation) =>
        {
            var (output, error) = (result.InvocationConfiguration.Output, result.InvocationConfiguration.Error);
            if (cluster.Config.LoadOrReport(result) is not { } options)
            {
                return NodeDaemonCommand.ConfigErrorExitCode;
            }

            var settings = RolloutSettings.From(options);
            if (selection.SelectorOrReport(result, settings) is not { } selector)
            {
                return 1;
            }

            using var api = cluster.ConnectOrReport(result);
            if (api is null)
            {
                return 1;
            }

            return await NodeSelection.GuardAsync(error, async () =>
            {
                var nodes = await NodeSelection.ReadAsync(api, selector, settings, cancellation).ConfigureAwait(false);
                if (nodes.Count == 0)
                {
                    await error.WriteLineAsync($"error: no nodes match {selector}").ConfigureAwait(false);
                    return 1;
                }

                var untouched = nodes.Count(n => change(n, settings) is null);
                var failures = await NodeSelection.AnnotateEachAsync(api, nodes, settings, n => change(n, settings), output, cancellation).ConfigureAwait(false);
                if (untouched > 0)
                {
                    await output.WriteLineAsync($"{untouched} node{(untouched == 1 ? "" : "s")} unchanged (nothing to {name})").ConfigureAwait(false);
                }

                return failures == 0 ? 0 : 1;
            }).ConfigureAwait(false);
        });
        return command;
    }
}
