using System.Globalization;

namespace NodeDaemon.Cli.Rollout;

/// <summary>Reads a duration as kubectl's flags take it (Go's <c>time.ParseDuration</c>: <c>90s</c>, <c>5m</c>, <c>1h30m</c>, <c>0</c>).</summary>
internal static class GoDuration
{
    /// <summary>The duration, or null with nothing else said when <paramref name="text"/> is not one.</summary>
    public static TimeSpan? Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text == "0")
        {
            return TimeSpan.Zero;
        }

        var total = TimeSpan.Zero;
        var rest = text.AsSpan();
        if (rest.IsEmpty)
        {
            return null;
        }

        while (!rest.IsEmpty)
        {
            var digits = 0;
            while (digits < rest.Length && (char.IsAsciiDigit(rest[digits]) || rest[digits] == '.'))
            {
                digits++;
            }

            var units = digits;
            while (units < rest.Length && char.IsAsciiLetter(rest[units]))
            {
                units++;
            }

            if (digits == 0 || !double.TryParse(rest[..digits], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
            {
                return null;
            }

            double? seconds = rest[digits..units] switch
            {
                "h" => amount * 3600,
                "m" => amount * 60,
                "s" => amount,
                "ms" => amount / 1000,
                _ => null,
            };
            if (seconds is not { } value)
            {
                return null;
            }

            total += TimeSpan.FromSeconds(value);
            rest = rest[units..];
        }

        return total;
    }
}
