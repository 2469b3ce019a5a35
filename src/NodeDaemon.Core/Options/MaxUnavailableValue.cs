using System.Globalization;

namespace NodeDaemon.Core.Options;

/// <summary>A parsed <see cref="FleetOptions.MaxUnavailable"/>: a node count or a percentage of the pool.</summary>
/// <param name="Amount">The count, or the percentage without its '%'.</param>
/// <param name="IsPercent">Whether <paramref name="Amount"/> is a percentage of the pool size.</param>
public readonly record struct MaxUnavailableValue(int Amount, bool IsPercent)
{
    /// <summary>Parses <c>"2"</c> or <c>"10%"</c>: ASCII digits, optionally followed by '%'; no sign, no spaces.</summary>
    public static bool TryParse(string? text, out MaxUnavailableValue value)
    {
        value = default;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var isPercent = text.EndsWith('%');
        var digits = isPercent ? text.AsSpan(0, text.Length - 1) : text.AsSpan();
        if (digits.IsEmpty || digits.ContainsAnyExceptInRange('0', '9')
            || !int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            return false;
        }

        value = new MaxUnavailableValue(amount, isPercent);
        return true;
    }
}
