namespace NodeDaemon.Core.Options;

/// <summary>Start-up validation of the <c>health</c> section.</summary>
public sealed partial record NodeDaemonOptions
{
    /// <summary>Shortest gate timeout besides zero (off): a kubelet alone takes most of a minute to post Ready after a boot.</summary>
    internal static readonly TimeSpan MinHealthTimeout = TimeSpan.FromMinutes(1);

    /// <summary>Most entries in one health list: every entry is a request per check, every few seconds.</summary>
    internal const int MaxHealthListEntries = 32;

    private static void ValidateHealth(OptionChecks checks, HealthOptions health)
    {
        // Zero is the other valid value (gate off), so the message names it rather than the plain range.
        if (health.Timeout != TimeSpan.Zero && (health.Timeout < MinHealthTimeout || health.Timeout > MaxWait))
        {
            checks.Add("health.timeoutSeconds",
                $"must be 0 (gate off) or between {ValueText.Seconds(MinHealthTimeout)} and {ValueText.Seconds(MaxWait)} seconds, got {ValueText.Seconds(health.Timeout)}");
        }

        CheckList(checks, "health.criticalPodSelectors", health.CriticalPodSelectors, selector =>
            selector.Trim().Length == 0
                ? "is empty, which would select every pod on the node; remove it or name a label"
                : LabelSelectorSyntax.Check(selector) is [var first, ..] ? first : null);
        checks.SecondsBetween("health.criticalPodGraceSeconds", health.CriticalPodGrace, TimeSpan.Zero, MaxWait);
        CheckList(checks, "health.units", health.Units, SystemdUnitNames.Check);
        if (!KubeletHealthzUrl.TryParse(health.KubeletHealthz ?? "", out _, out var urlProblem))
        {
            checks.Add("health.kubeletHealthz", urlProblem!);
        }

        if (health.OnApiSilence is not (ApiSilencePolicy.Wait or ApiSilencePolicy.Local))
        {
            checks.Add("health.onApiSilence", $"must be \"wait\" or \"local\", got {ValueText.Integer((int)health.OnApiSilence)}");
        }
    }

    private static void CheckList(OptionChecks checks, string path, IReadOnlyList<string>? items, Func<string, string?> check)
    {
        if (items is null)
        {
            checks.Add(path, "must not be null");
            return;
        }

        if (items.Count > MaxHealthListEntries)
        {
            checks.Add(path, $"must have at most {MaxHealthListEntries} entries, got {ValueText.Integer(items.Count)}");
            return;
        }

        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is null)
            {
                checks.AddAt(path, $"[{i}]", "must be a string, got null");
            }
            else if (check(items[i]) is { } problem)
            {
                checks.AddAt(path, $"[{i}]", $"{problem}, got {ValueText.Quote(items[i])}");
            }
        }
    }
}
