using NodeDaemon.Core.Agent;
using NodeDaemon.Core.Cluster;
using NodeDaemon.Core.Host;
using NodeDaemon.Metrics;

namespace NodeDaemon.Agent;

/// <summary>The agent loop's failed turns: logged, counted, retried after a jittered, bounded backoff, and told on the node
/// once they keep failing. Only a bug ends the process.</summary>
/// <remarks>A restart would drop the watch, the slot view and the report memory, list everything again, and under a
/// misconfiguration (a Lease namespace that does not exist) loop as fast as systemd restarts it: across a pool that is
/// an API storm. A turn fails when a seam's own retries ran out (<see cref="ClusterException"/>,
/// <see cref="HostException"/>), the state directory failed (<see cref="IOException"/>), or a request timed out.</remarks>
public sealed partial class AgentLoop
{
    private int _failedTurns;
    private string? _turnFailure;
    private (Decision Decision, HostStatus Host)? _lastTurn;

    /// <summary>Failed turns in a row after which the node's <c>reason</c> says so.</summary>
    public int FailedTurnsReported { get; init; } = 3;

    /// <summary>The wait after the first failed turn; it doubles with each further failure in a row, up to <see cref="MaxTurnRetryDelay"/>, give or take half.</summary>
    public TimeSpan TurnRetryDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest wait between two failed turns.</summary>
    public TimeSpan MaxTurnRetryDelay { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Turns that failed in a row, up to now.</summary>
    public int FailedTurnsInARow => _failedTurns;

    /// <summary>Whether a turn that threw <paramref name="exception"/> is tried again (the world failed) rather than ending
    /// the process (a bug: an illegal transition, a null, an invalid operation).</summary>
    internal static bool IsTransient(Exception exception, CancellationToken stopping) =>
        exception is ClusterException or HostException or IOException or UnauthorizedAccessException or HttpRequestException or TimeoutException
        || (exception is OperationCanceledException && !stopping.IsCancellationRequested);

    /// <summary>The wait before the next try after <paramref name="failures"/> failed turns in a row: the base doubled per
    /// failure, capped, times 0.5–1.5 so that a pool's nodes do not retry in step.</summary>
    internal static TimeSpan RetryDelay(int failures, TimeSpan first, TimeSpan max, double jitter)
    {
        var doubled = first * Math.Pow(2, Math.Min(Math.Max(failures - 1, 0), 20));
        var capped = doubled < max ? doubled : max;
        return capped * (0.5 + Math.Clamp(jitter, 0, 1));
    }

    private async Task<TimeSpan> TurnFailedAsync(Exception exception, CancellationToken cancellationToken)
    {
        _failedTurns++;
        var delay = RetryDelay(_failedTurns, TurnRetryDelay, MaxTurnRetryDelay, Random.Shared.NextDouble());
        var problem = Hosting.DaemonExit.OneLine(exception);
        LogTurnFailed(_failedTurns, problem, Math.Round(delay.TotalSeconds, 1));
        Metrics.Failed(FailureKind.Turn);
        status.Report(_machine.Current.ToString(), $"turn failed ({_failedTurns} in a row), next try in {delay.TotalSeconds:0} s: {problem}");
        if (_failedTurns >= FailedTurnsReported && _lastTurn is { } last)
        {
            // Best effort: with the API down this write fails too, and the log and STATUS line say it instead.
            _turnFailure = Limit($"{_failedTurns} turns in a row failed; retrying with backoff: {problem}");
            await ReportAsync(last.Decision, last.Host, $"retrying in {delay.TotalSeconds:0} s after {_failedTurns} failed turns", cancellationToken)
                .ConfigureAwait(false);
        }

        return delay;
    }

    private void TurnSucceeded()
    {
        if (_failedTurns > 0)
        {
            LogTurnsRecovered(_failedTurns);
        }

        _failedTurns = 0;
        // The next report clears the reason (it differs from the one that carried it).
        _turnFailure = null;
    }

    // The reason annotation holds at most 2000 characters (docs/protocol.md).
    private static string Limit(string text) => text.Length <= 2000 ? text : text[..1999] + "…";
}
