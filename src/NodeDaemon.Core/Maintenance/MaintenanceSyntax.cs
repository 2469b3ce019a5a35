namespace NodeDaemon.Core.Maintenance;

/// <summary>How days and start times of a maintenance window are written: <c>Sat</c> or <c>saturday</c>, <c>22:30</c>.</summary>
public static class MaintenanceSyntax
{
    /// <summary>The day names a message lists as allowed.</summary>
    public const string DayNamesAllowed = "Mon, Tue, Wed, Thu, Fri, Sat, Sun or the full English name";

    /// <summary>The start time format a message names.</summary>
    public const string StartAllowed = "a 24-hour time HH:MM like \"22:30\"";

    private static readonly (string Short, DayOfWeek Day)[] s_days =
    [
        ("Mon", DayOfWeek.Monday), ("Tue", DayOfWeek.Tuesday), ("Wed", DayOfWeek.Wednesday), ("Thu", DayOfWeek.Thursday),
        ("Fri", DayOfWeek.Friday), ("Sat", DayOfWeek.Saturday), ("Sun", DayOfWeek.Sunday),
    ];

    /// <summary>The three-letter name a message shows for <paramref name="day"/>.</summary>
    public static string ShortName(DayOfWeek day) => s_days.First(d => d.Day == day).Short;

    /// <summary>Reads <c>Mon</c>..<c>Sun</c> or <c>Monday</c>..<c>Sunday</c>, ignoring case (the names Zincati and kured accept).</summary>
    public static bool TryParseDay(string? text, out DayOfWeek day)
    {
        day = default;
        var trimmed = (text ?? "").Trim();
        foreach (var (name, value) in s_days)
        {
            // The enum's names are English whatever the culture, and InvariantGlobalization is on anyway.
            if (trimmed.Equals(name, StringComparison.OrdinalIgnoreCase)
                || trimmed.Equals(value.ToString(), StringComparison.OrdinalIgnoreCase))
            {
                day = value;
                return true;
            }
        }

        return false;
    }

    /// <summary>Reads <c>H:MM</c> or <c>HH:MM</c>, 00:00 to 23:59; seconds and <c>24:00</c> are refused as likely mistakes.</summary>
    public static bool TryParseStart(string? text, out TimeOnly start)
    {
        start = default;
        var trimmed = (text ?? "").Trim();
        var colon = trimmed.IndexOf(':', StringComparison.Ordinal);
        if (colon is < 1 or > 2 || trimmed.Length != colon + 3
            || !TryDigits(trimmed.AsSpan(0, colon), out var hour) || !TryDigits(trimmed.AsSpan(colon + 1), out var minute)
            || hour > 23 || minute > 59)
        {
            return false;
        }

        start = new TimeOnly(hour, minute);
        return true;
    }

    // int.TryParse would accept signs and spaces; only ASCII digits are a time.
    private static bool TryDigits(ReadOnlySpan<char> text, out int value)
    {
        value = 0;
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }
}
