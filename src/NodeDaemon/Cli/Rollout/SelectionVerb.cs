using System.CommandLine;

namespace NodeDaemon.Cli.Rollout;

/// <summary>The nodes a writing verb works on, read once, with what the verb needs to write to them.</summary>
/// <param name="Result">The parsed command line.</param>
/// <param name="Api">The admin's connection.</param>
/// <param name="Settings">The daemons' configuration as the verbs read it.</param>
/// <param name="Selector">The label selector <c>--pool</c> or <c>--selector</c> gave.</param>
/// <param name="Nodes">The nodes it selects, by name.</param>
internal sealed record SelectedNodes(ParseResult Result, RolloutCluster Api, RolloutSettings Settings, string Selector, IReadOnlyList<RolloutNode> Nodes)
{
    /// <summary>Where the verb prints.</summary>
    public TextWriter Output => Result.InvocationConfiguration.Output;

    /// <summary>Where the verb's errors go.</summary>
    public TextWriter Error => Result.InvocationConfiguration.Error;
}

/// <summary>The setup every verb that writes to a selection of nodes shares (<c>start</c>, <c>pause</c>, <c>resume</c>, <c>undo</c>): one home for it.</summary>
internal static class SelectionVerb
{
    /// <summary>
    /// Adds <c>--pool</c>/<c>--selector</c> and the cluster options to <paramref name="command"/>, and makes its action:
    /// load the configuration (exit 2 when invalid), name the nodes, connect, read them, then <paramref name="body"/>;
    /// an API error is one <c>error:</c> line and exit 1.
    /// </summary>
    public static Command Create(Command command, Func<SelectedNodes, CancellationToken, Task<int>> body)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(body);
        var cluster = new ClusterArguments();
        var selection = new NodeSelection();
        selection.AddTo(command);
        cluster.AddTo(command);
        command.SetAction(async (result, cancellation) =>
        {
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

            return await NodeSelection.GuardAsync(result.InvocationConfiguration.Error, async () =>
            {
                var nodes = await NodeSelection.ReadAsync(api, selector, settings, cancellation).ConfigureAwait(false);
                return await body(new SelectedNodes(result, api, settings, selector, nodes), cancellation).ConfigureAwait(false);
            }).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>Says that the selector matched no node; the exit code 1.</summary>
    public static async Task<int> NoneMatchAsync(SelectedNodes selected)
    {
        ArgumentNullException.ThrowIfNull(selected);
        await selected.Error.WriteLineAsync($"error: no nodes match {selected.Selector}").ConfigureAwait(false);
        return 1;
    }
}
