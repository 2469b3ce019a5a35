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

        var evidence = new HealthEvidence(null, null, await LocalAsync(cancellationToken).ConfigureAwait(false));
        try
        {
            var reading = await cluster.ReadAsync(options.CriticalPodSelectors, cancellationToken).ConfigureAwait(false);
            if (_answeringSince is null)
            {
                _answeringSince = time.GetUtcNow();
                LogApiAnswering(context.NodeName);
            }

            evidence = evidence with { Cluster = new ClusterEvidence(reading.Ready, reading.Selectors, _answeringSince.Value) };
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

        var verdict = HealthRules.Judge(evidence, options, context, time.GetUtcNow());
        Log(context, verdict);
        return verdict;
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
