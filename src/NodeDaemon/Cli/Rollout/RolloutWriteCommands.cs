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

    private static Command Create(string name, string description, Func<RolloutNode, RolloutSettings, IReadOnlyDictionary<string, string?>?> change) =>
        SelectionVerb.Create(new Command(name, description), async (selected, cancellation) =>
        {
            var (nodes, settings, output) = (selected.Nodes, selected.Settings, selected.Output);
            if (nodes.Count == 0)
            {
                return await SelectionVerb.NoneMatchAsync(selected).ConfigureAwait(false);
            }

            var untouched = nodes.Count(n => change(n, settings) is null);
            var failures = await NodeSelection.AnnotateEachAsync(selected.Api, nodes, settings, n => change(n, settings), output, cancellation).ConfigureAwait(false);
            if (untouched > 0)
            {
                await output.WriteLineAsync($"{untouched} node{(untouched == 1 ? "" : "s")} unchanged (nothing to {name})").ConfigureAwait(false);
            }

            return failures == 0 ? 0 : 1;
        });
}
