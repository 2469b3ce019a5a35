using NodeDaemon.Core.Maintenance;

namespace NodeDaemon.Core.Options;

/// <summary>Start-up validation of the maintenance windows: every day name, start time, length and the time zone.</summary>
public sealed partial record NodeDaemonOptions
{
    /// <summary>Longest window: a week, after which a weekly window would overlap itself and be always open.</summary>
    internal const int MaxWindowMinutes = 7 * 24 * 60;

    private static void ValidateMaintenance(OptionChecks checks, MaintenanceOptions maintenance)
    {
        const string Path = "maintenance.windows";
        if (!checks.NotNull(Path, maintenance.Windows))
        {
            return;
        }

        for (var i = 0; i < maintenance.Windows.Count; i++)
        {
            var at = $"[{ValueText.Integer(i)}]";
            if (maintenance.Windows[i] is not { } window)
            {
                checks.AddAt(Path, at, "must not be null");
                continue;
            }

            var days = window.Days ?? [];
            for (var d = 0; d < days.Count; d++)
            {
                if (!MaintenanceSyntax.TryParseDay(days[d], out _))
                {
                    checks.AddAt(Path, $"{at}.days[{ValueText.Integer(d)}]",
                        $"must be a day name ({MaintenanceSyntax.DayNamesAllowed}), got {ValueText.Quote(days[d])}");
                }
            }

            if (!MaintenanceSyntax.TryParseStart(window.Start, out _))
            {
                checks.AddAt(Path, $"{at}.start", $"must be {MaintenanceSyntax.StartAllowed}, got {ValueText.Quote(window.Start)}");
            }

            if (window.LengthMinutes is < 1 or > MaxWindowMinutes)
            {
                checks.AddAt(Path, $"{at}.lengthMinutes",
                    $"must be between 1 and {ValueText.Integer(MaxWindowMinutes)} minutes, got {ValueText.Integer(window.LengthMinutes)}");
            }
        }

        if (!MaintenanceSchedule.TryFindTimeZone(maintenance.TimeZone, out _))
        {
            checks.Add("maintenance.timeZone",
                $"must be an IANA time zone name like \"Europe/Berlin\" or \"UTC\" (from /usr/share/zoneinfo, case matters), got {ValueText.Quote(maintenance.TimeZone)}");
        }
    }
}
