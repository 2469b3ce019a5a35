using System.Globalization;
using NodeDaemon.Core.Options;

namespace NodeDaemon.Core.Health;

/// <summary>The health gate's rules: a pure function from evidence, options, the boot and the clock to a verdict.</summary>
/// <remarks>
/// The one home of every rule of the gate. A check that has not passed only fails the gate at its timeout (except a
/// critical pod selector that still matches nothing after its grace); API silence is never a failure by itself: it is
/// waited out, and <see cref="ApiSilencePolicy"/> says what local evidence may decide meanwhile.
/// </remarks>
public static partial class HealthRules
{
    /// <summary>
    /// How long the API must have answered before the timeout may fail the gate on its evidence: after a silence the
    /// kubelet posts its status again within its <c>nodeStatusUpdateFrequency</c> (10 s by default) and the pods'
    /// statuses follow; a minute leaves room for both and for the kubelet's own retries.
    /// </summary>
    public static readonly TimeSpan ApiReturnGrace = TimeSpan.FromMinutes(1);

    /// <summary>
    /// From when a wait that a current node watch shows is checked by a read of the node, while no read has shown the API
    /// answering yet: two <see cref="ApiReturnGrace"/>s before the timeout (from the start when the timeout is shorter).
    /// </summary>
    /// <remarks>Before then the read changes no verdict: the watch's wait is a wait either way, and a failure is only ever judged
    /// on a read. A read is needed only to start the API's minute before the timeout; the gate is asked at least every
    /// 10 s (GateRules.Recheck), so the first read still lands more than a minute before the timeout and the gate fails on time.
    /// One GET of the node fewer per verification: a gate that passes within minutes of the boot reads none.</remarks>
    public static DateTimeOffset ReadsWatchedWaitFrom(HealthCheckContext context, HealthOptions options)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        return context.GateStarted + options.Timeout - ApiReturnGrace - ApiReturnGrace;
    }

    /// <summary>The verdict at <paramref name="now"/> on the boot that <paramref name="context"/> describes.</summary>
    public static HealthVerdict Judge(HealthEvidence evidence, HealthOptions options, HealthCheckContext context, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(context);
        if (!options.Enabled)
        {
            return new HealthVerdict.Passed();
        }

        var deadline = context.GateStarted + options.Timeout;
        var local = LocalOutcomes(evidence.Local);
        var cluster = evidence.Cluster is { } answered ? ClusterOutcomes(answered, options, context, now) : null;
        var all = (cluster ?? []).Concat(local).ToList();

        if (all.Where(o => o.State == CheckState.FailedNow).Select(o => o.Failure).ToList() is [_, ..] failedNow)
        {
            return new HealthVerdict.Failed(string.Join(", ", failedNow));
        }

        if (evidence.Cluster is { } api)
        {
            if (all.All(o => o.State == CheckState.Passed))
            {
                return new HealthVerdict.Passed();
            }

            // Evidence the API gave only just now (after a silence, or since the daemon started) is not judged yet.
            var judgeable = Later(deadline, api.AnsweringSince + ApiReturnGrace);
            return now >= judgeable
                ? Fail(all, context, now)
                : Wait(all, [], deadline, now);
        }

        var silence = CheckOutcome.Unknown($"the API server ({evidence.ApiProblem ?? "unreachable"})");
        if (options.OnApiSilence == ApiSilencePolicy.Local && local.Count > 0 && local.All(o => o.State == CheckState.Passed))
        {
            return new HealthVerdict.Passed();
        }

        // Local evidence against the image may fail the gate at its timeout; silence and unknowns alone never do.
        return now >= deadline && local.Any(o => o.State == CheckState.NotYet)
            ? Fail(local, context, now, "API server unreachable")
            : Wait(local, [silence], deadline, now);
    }

    private static List<CheckOutcome> LocalOutcomes(LocalEvidence local)
    {
        var outcomes = new List<CheckOutcome>();
        outcomes.AddRange((local?.Units ?? []).Select(Unit));
        if (local?.BootComplete is { } target)
        {
            outcomes.Add(BootComplete(target));
        }

        if (local?.KubeletHealthz is { } healthz)
        {
            outcomes.Add(Healthz(healthz));
        }

        return outcomes;
    }

    private static HealthVerdict.Failed Fail(IEnumerable<CheckOutcome> outcomes, HealthCheckContext context, DateTimeOffset now, string? also = null)
    {
        var failures = outcomes.Where(o => o.State != CheckState.Passed)
            .Select(o => o.State == CheckState.Unknown ? $"no answer about {o.Awaited}" : o.Failure)
            .ToList();
        if (also is not null)
        {
            failures.Add(also);
        }

        var seconds = Math.Max(0, (long)Math.Floor((now - context.BootTime).TotalSeconds));
        return new HealthVerdict.Failed($"{string.Join(", ", failures)} {seconds.ToString(CultureInfo.InvariantCulture)} s after boot");
    }

    private static HealthVerdict.Waiting Wait(IEnumerable<CheckOutcome> outcomes, IEnumerable<CheckOutcome> extra, DateTimeOffset deadline, DateTimeOffset now)
    {
        var awaited = outcomes.Where(o => o.State != CheckState.Passed).Concat(extra).Select(o => o.Awaited).ToList();
        var left = now >= deadline ? "timeout passed" : $"{Duration(deadline - now)} left";
        var message = awaited.Count == 0
            ? $"waiting ({left})"
            : $"waiting for {awaited[0]} ({left})" + string.Concat(awaited.Skip(1).Select(a => "; " + a));
        return new HealthVerdict.Waiting(message);
    }

    /// <summary>A span as a person reads it in a message: minutes from two minutes up, else seconds.</summary>
    internal static string Duration(TimeSpan span)
    {
        var seconds = (long)Math.Ceiling(span.TotalSeconds);
        return seconds >= 120
            ? $"{(seconds / 60).ToString(CultureInfo.InvariantCulture)} min"
            : $"{seconds.ToString(CultureInfo.InvariantCulture)} s";
    }

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a >= b ? a : b;
}
