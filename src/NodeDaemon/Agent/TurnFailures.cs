using Microsoft.Extensions.Logging;
using NodeDaemon.Core.Agent;
using NodeDaemon.Core.Cluster;
using NodeDaemon.Core.Host;
using NodeDaemon.Metrics;
using NodeDaemon.Systemd;

namespace NodeDaemon.Agent;

/// <summary>The agent loop's failed turns: logged, counted, retried after a jittered, bounded backoff, and told on the node
/// once they keep failing. Only a bug ends the process.</summary>
/// <remarks>A restart would drop the watch, the slot view and the report memory, list everything again, and under a
/// misconfiguration (a Lease namespace that does not exist) loop as fast as systemd restarts it: across a pool that is
/// an API storm. A turn fails when a seam's own retries ran out (<see cref="ClusterException"/>,
/// <see cref="HostException"/>), the state directory failed (<see cref="IOException"/>), or a request timed out.</remarks>
internal sealed partial class TurnFailures(NodeReporter reporter, StatusReporter status, AgentLoopSettings settings, ILogger logger)
{
    private Decision? _lastDecision;

    /// <summary>Turns that failed in a row, up to now.</summary>
    public int InARow { get; private set; }

    /// <summary>Whether a turn that threw <paramref name="exception"/> is tried again (the world failed) rather than ending
    /// the process (a bug: a null, an invalid operation).</summary>
    public static bool IsTransient(Exception exception, CancellationToken stopping) =>
        exception is ClusterException or HostException or IOException or UnauthorizedAccessException or HttpRequestException or TimeoutException
        || (exception is OperationCanceledException && !stopping.IsCancellationRequested);

    /// <summary>The wait before the next try after <paramref name="failures"/> failed turns in a row: the base doubled per
    /// failure, capped, times 0.5–1.5 so that a pool's nodes do not retry in step.</summary>
    public static TimeSpan RetryDelay(int failures, TimeSpan first, TimeSpan max, double jitter)
    {
        var doubled = first * Math.Pow(2, Math.Min(Math.Max(failures - 1, 0), 20));
        var capped = doubled < max ? doubled : max;
        return capped * (0.5 + Math.Clamp(jitter, 0, 1));
    }

    /// <summary>The turn decided <paramref name="decision"/>: what a report of later failures says about phase and state.</summary>
    public void Decided(Decision decision) => _lastDecision = decision;

    /// <summary>Counts a failed turn in <paramref name="state"/> and returns the wait before the next one.</summary>
    public async Task<TimeSpan> FailedAsync(Exception exception, AgentState state, CancellationToken cancellationToken)
    {
        InARow++;
        var delay = RetryDelay(InARow, settings.TurnRetryDelay, settings.MaxTurnRetryDelay, Random.Shared.NextDouble());
        var problem = Hosting.DaemonExit.OneLine(exception);
        LogTurnFailed(InARow, problem, Math.Round(delay.TotalSeconds, 1));
        settings.Metrics.Failed(FailureKind.Turn);
        status.Report(state.ToString(), $"turn failed ({InARow} in a row), next try in {delay.TotalSeconds:0} s: {problem}");
        if (InARow >= settings.FailedTurnsReported && _lastDecision is { } last)
        {
            // Best effort: with the API down this write fails too, and the log and STATUS line say it instead.
            reporter.TurnTrouble = Limit($"{InARow} turns in a row failed; retrying with backoff: {problem}");
            await reporter.ReportAsync(last, $"retrying in {delay.TotalSeconds:0} s after {InARow} failed turns", cancellationToken).ConfigureAwait(false);
        }

        return delay;
    }

    /// <summary>A turn succeeded: the count starts over, and the next report clears the reason (it differs from the one that carried it).</summary>
    public void Succeeded()
    {
        if (InARow > 0)
        {
            LogTurnsRecovered(InARow);
        }

        InARow = 0;
        reporter.TurnTrouble = null;
    }

    // The reason annotation holds at most 2000 characters (docs/protocol.md).
    private static string Limit(string text) => text.Length <= 2000 ? text : text[..1999] + "…";
}
