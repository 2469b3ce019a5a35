using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using NodeDaemon.Core.Cluster;
using NodeDaemon.Core.Health;
using NodeDaemon.Core.Options;

namespace NodeDaemon.Health;

/// <summary>The <see cref="IHealthGate"/>: gathers the evidence through its seams, then lets <see cref="HealthRules"/> judge.</summary>
/// <remarks>
/// The one place the gate's evidence is put together; it decides nothing itself. The only memory it keeps is since
/// when the API has answered without a break, which the rules need to give the kubelet time to post after a silence;
/// lost in a restart, it restarts at the first answer, which only ever gives more time, never less.
/// </remarks>
public sealed partial class HealthGate(
    HealthOptions options,
    IClusterHealthReader cluster,
    IUnitStateReader units,
    IHealthzProbe healthz,
    TimeProvider time,
    ILogger<HealthGate> logger) : IHealthGate
{
    /// <summary>The unit <c>health.bootComplete</c> requires to be active.</summary>
    public const string BootCompleteTarget = "boot-complete.target";

    private readonly Uri? _healthzUrl = KubeletHealthzUrl.TryParse(options.KubeletHealthz, out var url, out _) ? url : null;
    private DateTimeOffset? _answeringSince;
    private string? _lastLogged;

    /// <inheritdoc/>
    public async ValueTask<HealthVerdict> CheckAsync(HealthCheckContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!options.Enabled)
        {
            return new HealthVerdict.Passed();
        }

        var local = await LocalAsync(cancellationToken).ConfigureAwait(false);
        if (context.Watched is { } watched)
        {
            // The node watch has the Ready condition: no GET of the node, only the pods it does not show. A watch can be behind
            // (a connection lost and not yet back), so what it shows may pass the gate, or keep it waiting once a read of ours
            // has shown the API answering (the minute after a silence counts from there), but never fail it: that, and a
            // wait with no read yet once the timeout nears (HealthRules.ReadsWatchedWaitFrom), is judged again below on the
            // API's own answer to a GET made now.
            var seen = await JudgeAsync(context, local, watched, cancellationToken).ConfigureAwait(false);
            if (seen is HealthVerdict.Passed
                || (seen is HealthVerdict.Waiting && (_answeringSince is not null || time.GetUtcNow() < HealthRules.ReadsWatchedWaitFrom(context, options))))
            {
                Log(context, seen);
                return seen;
            }
        }

        var verdict = await JudgeAsync(context, local, null, cancellationToken).ConfigureAwait(false);
        Log(context, verdict);
        return verdict;
    }

    // One reading, judged with the local evidence: the node's Ready from watched (and the pods' lists) or from a GET of the node.
    // A silence is evidence of its own, never a failure alone; only a request answered tells that the API answers.
    private async Task<HealthVerdict> JudgeAsync(HealthCheckContext context, LocalEvidence local, WatchedReady? watched, CancellationToken cancellationToken)
    {
        var evidence = new HealthEvidence(null, null, local);
        try
        {
            var reading = watched is null
                ? await cluster.ReadAsync(options.CriticalPodSelectors, cancellationToken).ConfigureAwait(false)
                : new ClusterReading(watched.Ready, await cluster.ReadPodsAsync(options.CriticalPodSelectors, cancellationToken).ConfigureAwait(false));
            if (_answeringSince is null && (watched is null || options.CriticalPodSelectors.Count > 0))
            {
                _answeringSince = time.GetUtcNow();
                LogApiAnswering(context.NodeName);
            }

            evidence = evidence with { Cluster = new ClusterEvidence(reading.Ready, reading.Selectors, _answeringSince ?? time.GetUtcNow()) };
        }
        catch (ClusterException e)
        {
            if (_answeringSince is not null || _lastLogged is null)
            {
                LogApiSilent(context.NodeName, e.Message);
            }

            _answeringSince = null;
            evidence = evidence with { ApiProblem = e.Message };
        }

        return HealthRules.Judge(evidence, options, context, time.GetUtcNow());
    }

    private async Task<LocalEvidence> LocalAsync(CancellationToken cancellationToken)
    {
        var read = new List<UnitEvidence>(options.Units.Count);
        foreach (var unit in options.Units)
        {
            read.Add(await units.ReadAsync(unit, cancellationToken).ConfigureAwait(false));
        }

        var target = options.BootComplete ? await units.ReadAsync(BootCompleteTarget, cancellationToken).ConfigureAwait(false) : null;
        var answer = _healthzUrl is { } url ? await healthz.ProbeAsync(url, cancellationToken).ConfigureAwait(false) : null;
        return new LocalEvidence(read, target, answer);
    }

    // One line per change of what is awaited, not per check: the time left changes every time and says nothing new.
    private void Log(HealthCheckContext context, HealthVerdict verdict)
    {
        var key = verdict switch
        {
            HealthVerdict.Waiting waiting => TimeLeft().Replace(waiting.Message, ""),
            _ => verdict.ToString(),
        };
        if (key == _lastLogged)
        {
            return;
        }

        _lastLogged = key;
        switch (verdict)
        {
            case HealthVerdict.Passed:
                var seconds = (time.GetUtcNow() - context.BootTime).TotalSeconds;
                LogPassed(context.NodeName, seconds);
                break;
            case HealthVerdict.Waiting waiting:
                LogWaiting(context.NodeName, waiting.Message);
                break;
            case HealthVerdict.Failed failed:
                LogFailed(context.NodeName, failed.Reason);
                break;
        }
    }

    [GeneratedRegex(@" \((\d+ (min|s) left|timeout passed)\)")]
    private static partial Regex TimeLeft();
}
