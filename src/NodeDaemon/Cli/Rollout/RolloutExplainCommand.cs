using System.CommandLine;

namespace NodeDaemon.Cli.Rollout;

/// <summary><c>nodedaemon rollout explain NODE</c>: why a node is not updating, read from the API alone.</summary>
internal static class RolloutExplainCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var cluster = new ClusterArguments();
        var node = new Argument<string>("NODE") { Description = "The node's name" };
        var command = new Command("explain", "Say why a node is not updating: paused, its window, a slot held by others, a PodDisruptionBudget, a rejected image, a halted pool") { node };
        cluster.AddTo(command);
        command.SetAction(async (result, cancellation) =>
        {
            var (output, error) = (result.InvocationConfiguration.Output, result.InvocationConfiguration.Error);
            if (cluster.Config.LoadOrReport(result) is not { } options)
            {
                return NodeDaemonCommand.ConfigErrorExitCode;
            }

            using var api = cluster.ConnectOrReport(result);
            if (api is null)
            {
                return 1;
            }

            var settings = RolloutSettings.From(options);
            var name = result.GetValue(node)!;
            return await NodeSelection.GuardAsync(error, async () =>
            {
                if (await api.GetNodeAsync(name, cancellation).ConfigureAwait(false) is not { } own)
                {
                    await error.WriteLineAsync($"error: node {name} not found").ConfigureAwait(false);
                    return 1;
                }

                var pool = Kubernetes.Annotations.NodeReader.Text(own["metadata"]?["labels"]?[settings.PoolLabel]);
                var hasPool = own["metadata"]?["labels"] is System.Text.Json.Nodes.JsonObject labels && labels.ContainsKey(settings.PoolLabel);
                var nodes = hasPool ? await api.ListNodesAsync($"{settings.PoolLabel}={pool}", cancellation).ConfigureAwait(false) : [own];
                var leases = hasPool ? await api.ListLeasesAsync(options.Fleet.LeaseNamespace, cancellation).ConfigureAwait(false) : [];
                foreach (var line in RolloutExplainer.Explain(name, nodes, leases, settings, TimeProvider.System.GetUtcNow()))
                {
                    await output.WriteLineAsync($"{name}: {line}").ConfigureAwait(false);
                }

                return 0;
            }).ConfigureAwait(false);
        });
        return command;
    }
}
