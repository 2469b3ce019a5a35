using System.CommandLine;
using System.Text.Json;
using NodeDaemon.Core.Cluster;

namespace NodeDaemon.Cli.Rollout;

/// <summary><c>nodedaemon rollout status</c>: one block per pool, once or until the pool converged, failed or the timeout passed.</summary>
/// <remarks>
/// Exit codes follow <c>kubectl rollout status</c> (kubectl pkg/cmd/rollout/rollout_status.go): 0 when the rollout is
/// complete; an error and exit 1 when it failed (kubectl: a Deployment past its progress deadline) or when
/// <c>--timeout</c> passed (kubectl: <c>timed out waiting for the condition</c>); <c>--timeout 0</c> waits for ever.
/// </remarks>
internal static class RolloutStatusCommand
{
    /// <summary>How often <c>--watch</c> reads the pool: two list requests each time.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var cluster = new ClusterArguments();
        var pool = new Option<string?>("--pool") { Description = "Only the pool with this value of the pool label (fleet.poolLabel)" };
        var watch = new Option<bool>("--watch", "-w") { Description = "Watch until the pool converged (exit 0), failed or --timeout passed (exit 1)" };
        var timeout = new Option<string>("--timeout") { Description = "With --watch: give up after this long (90s, 10m, 1h); 0 waits for ever", DefaultValueFactory = _ => "0" };
        var output = OutputFormat.Create();
        var command = new Command("status", "Show each pool's rollout: counts, slot holders, the halt, rejected images, an ETA") { pool, watch, timeout, output };
        cluster.AddTo(command);
        command.SetAction(async (result, cancellation) =>
        {
            var error = result.InvocationConfiguration.Error;
            if (GoDuration.Parse(result.GetValue(timeout) ?? "0") is not { } limit)
            {
                await error.WriteLineAsync($"error: --timeout {result.GetValue(timeout)} is not a duration such as 90s, 10m or 1h").ConfigureAwait(false);
                return 1;
            }

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
            var printer = new StatusPrinter(result.InvocationConfiguration.Output, result.GetValue(output),
                ReferenceEquals(result.InvocationConfiguration.Output, Console.Out) && !Console.IsOutputRedirected);
            return await RunAsync(api, settings, result.GetValue(pool), result.GetValue(watch), limit, printer, error, TimeProvider.System, cancellation)
                .ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>Reads, prints, and with <paramref name="watch"/> repeats until an outcome; the exit code.</summary>
    public static async Task<int> RunAsync(RolloutCluster api, RolloutSettings settings, string? pool, bool watch, TimeSpan timeout, StatusPrinter printer,
        TextWriter error, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(printer);
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(time);
        var deadline = timeout > TimeSpan.Zero ? time.GetUtcNow() + timeout : (DateTimeOffset?)null;
        while (true)
        {
            RolloutView view;
            try
            {
                view = await ReadAsync(api, settings, pool, time, cancellationToken).ConfigureAwait(false);
            }
            catch (ClusterException e)
            {
                await error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
                return 1;
            }

            await printer.PrintAsync(view).ConfigureAwait(false);
            if (!watch)
            {
                return 0;
            }

            if (view.Pools.Count > 0 && view.Pools.All(p => p.Outcome == RolloutOutcome.Converged))
            {
                return 0;
            }

            if (view.Pools.FirstOrDefault(p => p.Outcome == RolloutOutcome.Failed) is { } failed)
            {
                var nodes = failed.Halt?.Failed ?? failed.Degraded;
                await error.WriteLineAsync($"error: rollout of pool {failed.Pool} {(failed.Halt is null ? "failed" : "halted")}: "
                    + string.Join("; ", nodes.Select(n => $"{n.Node} Degraded: {n.Reason}"))).ConfigureAwait(false);
                return 1;
            }

            if (deadline is { } end && time.GetUtcNow() >= end)
            {
                // kubectl's words for the same end (wait.ErrWaitTimeout).
                await error.WriteLineAsync("error: timed out waiting for the condition").ConfigureAwait(false);
                return 1;
            }

            var wait = deadline is { } until && until - time.GetUtcNow() < PollInterval ? until - time.GetUtcNow() : PollInterval;
            await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>One read of the pool's nodes and the slot Leases, as a view.</summary>
    public static async Task<RolloutView> ReadAsync(RolloutCluster api, RolloutSettings settings, string? pool, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(time);
        var selector = pool is null ? settings.PoolLabel : $"{settings.PoolLabel}={pool}";
        var nodes = await api.ListNodesAsync(selector, cancellationToken).ConfigureAwait(false);
        var leases = await api.ListLeasesAsync(settings.Options.Fleet.LeaseNamespace, cancellationToken).ConfigureAwait(false);
        return RolloutViewBuilder.Build(nodes, leases, settings, time.GetUtcNow(), pool);
    }
}

/// <summary>Prints status views: redrawn in place on a terminal, a new block only when something changed otherwise, or documents.</summary>
internal sealed class StatusPrinter(TextWriter output, string? format, bool terminal)
{
    private IReadOnlyList<string> _last = [];

    /// <summary>Prints <paramref name="view"/> unless it says what the last one said.</summary>
    public async Task PrintAsync(RolloutView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        if (format is not null)
        {
            await output.WriteLineAsync(OutputFormat.Format(format, JsonSerializer.Serialize(view, RolloutJsonContext.Default.RolloutView))).ConfigureAwait(false);
            return;
        }

        var lines = RolloutRenderer.Lines(view);
        // Held-for times and the ETA move every second: compare without them, so a pipe gets a block per change, not per poll.
        if (_last.Count > 0 && Stable(lines).SequenceEqual(Stable(_last), StringComparer.Ordinal))
        {
            if (!terminal)
            {
                return;
            }
        }

        if (terminal && _last.Count > 0)
        {
            // Up over the last block and clear to the end of the screen: the bar moves in place.
            await output.WriteAsync($"\u001b[{_last.Count}A\u001b[J").ConfigureAwait(false);
        }

        foreach (var line in lines)
        {
            await output.WriteLineAsync(line).ConfigureAwait(false);
        }

        await output.FlushAsync().ConfigureAwait(false);
        _last = lines;
    }

    private static IEnumerable<string> Stable(IEnumerable<string> lines) =>
        lines.Select(l => System.Text.RegularExpressions.Regex.Replace(l, @"( for | ETA )[0-9hms]+", "$1~", System.Text.RegularExpressions.RegexOptions.None,
            TimeSpan.FromSeconds(1)));
}
