using System.CommandLine;
using NodeDaemon.Core.Cluster;

namespace NodeDaemon.Cli.Rollout;

/// <summary>The <c>--pool</c> / <c>--selector</c> choice of the verbs that write, and the writes themselves, one conditional patch per node.</summary>
internal sealed class NodeSelection
{
    /// <summary>A pool: the value of the pool label.</summary>
    public Option<string?> Pool { get; } = new("--pool") { Description = "The pool: nodes whose pool label (fleet.poolLabel) has this value" };

    /// <summary>Any label selector instead.</summary>
    public Option<string?> Selector { get; } = new("--selector", "-l") { Description = "A label selector instead of --pool (as kubectl -l)" };

    /// <summary>Adds both options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(Pool);
        command.Options.Add(Selector);
    }

    /// <summary>The label selector the options name; null after writing why (neither or both given).</summary>
    public string? SelectorOrReport(ParseResult result, RolloutSettings settings)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(settings);
        var (pool, selector) = (result.GetValue(Pool), result.GetValue(Selector));
        if ((pool is null) == (selector is null))
        {
            result.InvocationConfiguration.Error.WriteLine("error: name the nodes with exactly one of --pool or --selector");
            return null;
        }

        return pool is not null ? $"{settings.PoolLabel}={pool}" : selector;
    }

    /// <summary>
    /// Writes <paramref name="annotations"/>' answer for each node with the node's resourceVersion as a precondition; on
    /// 409 (the node changed since it was read) reads it again and asks again, at most three times. Returns the failures.
    /// </summary>
    public static async Task<int> AnnotateEachAsync(RolloutCluster api, IEnumerable<RolloutNode> nodes, RolloutSettings settings,
        Func<RolloutNode, IReadOnlyDictionary<string, string?>?> annotations, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(annotations);
        ArgumentNullException.ThrowIfNull(output);
        var failures = 0;
        foreach (var first in nodes)
        {
            var node = first;
            for (var attempt = 1; ; attempt++)
            {
                if (annotations(node) is not { } values)
                {
                    break;
                }

                var response = await api.AnnotateAsync(node.Name, node.ResourceVersion, values, cancellationToken).ConfigureAwait(false);
                if (response.IsSuccess)
                {
                    await output.WriteLineAsync($"node/{node.Name} annotated").ConfigureAwait(false);
                    break;
                }

                if (response.StatusCode == 409 && attempt < 3 && await api.GetNodeAsync(node.Name, cancellationToken).ConfigureAwait(false) is { } fresh)
                {
                    // Changed since it was read (the daemon reported, the kubelet wrote status): decide on the new version.
                    node = RolloutNode.Read(fresh, settings);
                    continue;
                }

                await output.WriteLineAsync($"error: node/{node.Name}: {response.Message}").ConfigureAwait(false);
                failures++;
                break;
            }
        }

        return failures;
    }

    /// <summary>The nodes <paramref name="selector"/> selects, read with the settings' keys.</summary>
    public static async Task<IReadOnlyList<RolloutNode>> ReadAsync(RolloutCluster api, string selector, RolloutSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        var nodes = await api.ListNodesAsync(selector, cancellationToken).ConfigureAwait(false);
        return [.. nodes.Select(n => RolloutNode.Read(n, settings)).OrderBy(n => n.Name, StringComparer.Ordinal)];
    }

    /// <summary>Runs <paramref name="body"/>; a <see cref="ClusterException"/> becomes one error line and exit 1.</summary>
    public static async Task<int> GuardAsync(TextWriter error, Func<Task<int>> body)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (ClusterException e)
        {
            await error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return 1;
        }
    }
}
