using System.CommandLine;
using System.Text.Json;

namespace NodeDaemon.Cli.Rollout;

/// <summary><c>nodedaemon rollout start</c>: checks the image as the daemon will, shows the plan, then annotates each node conditionally.</summary>
internal static class RolloutStartCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var image = new Argument<string>("IMAGE") { Description = "The OS image, registry/repo@sha256:<digest>" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the plan and write nothing" };
        var output = OutputFormat.Create();
        var command = new Command("start", "Point a pool (or the nodes a selector picks) at IMAGE: the plan first, then one conditional write per node, recording each node's previous image for undo")
        {
            image, dryRun, output,
        };
        return SelectionVerb.Create(command, async (selected, cancellation) =>
        {
            var (result, nodes, settings, stdout) = (selected.Result, selected.Nodes, selected.Settings, selected.Output);
            var reference = result.GetValue(image)!;
            var now = TimeProvider.System.GetUtcNow();
            if (RolloutPlanner.Plan(nodes, reference, settings, now, out var refusal) is not { } plan)
            {
                // The daemon's own words: the nodes would write this reason and go Degraded.
                await selected.Error.WriteLineAsync($"error: the daemons would refuse this image: {refusal}").ConfigureAwait(false);
                return 1;
            }

            if (nodes.Count == 0)
            {
                return await SelectionVerb.NoneMatchAsync(selected).ConfigureAwait(false);
            }

            if (result.GetValue(output) is { } format)
            {
                await stdout.WriteLineAsync(OutputFormat.Format(format, JsonSerializer.Serialize(plan, RolloutJsonContext.Default.RolloutPlan))).ConfigureAwait(false);
            }
            else
            {
                foreach (var line in PlanText(plan, settings))
                {
                    await stdout.WriteLineAsync(line).ConfigureAwait(false);
                }
            }

            if (result.GetValue(dryRun))
            {
                return 0;
            }

            var planned = plan.Nodes.Where(n => n.Action != PlannedAction.AlreadyThere).ToDictionary(n => n.Node, StringComparer.Ordinal);
            var failures = await NodeSelection.AnnotateEachAsync(selected.Api, nodes.Where(n => planned.ContainsKey(n.Name)), settings,
                node => RolloutPlanner.StartAnnotations(planned[node.Name] with { PreviousImage = RolloutPlanner.PreviousOf(node) }, reference, settings, now),
                stdout, cancellation).ConfigureAwait(false);
            return failures == 0 ? 0 : 1;
        });
    }

    /// <summary>The plan as text: the image, the window, per pool its slots, then one line per node.</summary>
    public static IEnumerable<string> PlanText(RolloutPlan plan, RolloutSettings settings)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(settings);
        yield return $"image: {plan.Image} (accepted as the daemons check it)";
        yield return $"maintenance window: {plan.MaintenanceWindow}";
        foreach (var pool in plan.Nodes.GroupBy(n => n.Pool, StringComparer.Ordinal))
        {
            var slots = plan.Slots.TryGetValue(pool.Key, out var count) ? count : 0;
            yield return $"pool {settings.PoolLabel}={pool.Key}: {pool.Count()} nodes, {slots} at a time (fleet.maxUnavailable {settings.Options.Fleet.MaxUnavailable})";
            foreach (var node in pool)
            {
                yield return node.Action switch
                {
                    PlannedAction.AlreadyThere => $"  {node.Node}: already there",
                    PlannedAction.AnnotatePaused => $"  {node.Node}: annotate; paused, waits for rollout resume (now wants {Short(node.PreviousImage)})",
                    _ => $"  {node.Node}: annotate (now wants {Short(node.PreviousImage)})",
                };
            }
        }
    }

    private static string Short(string image) => image.Length == 0 ? "nothing" : image;
}
