namespace NodeDaemon.Core.Options;

/// <summary>Turns <see cref="MaxUnavailable"/> into a number of slots for a pool.</summary>
public sealed partial record FleetOptions
{
    /// <summary>
    /// The slots of any pool when <see cref="MaxUnavailable"/> is a count (a pool smaller than it cannot have more nodes
    /// disrupted anyway); null for a percentage, which needs the pool's size.
    /// </summary>
    public int? FixedSlots => MaxUnavailableValue.TryParse(MaxUnavailable, out var value) && value.Amount >= 1 && !value.IsPercent ? value.Amount : null;

    /// <summary>
    /// Nodes of a pool of <paramref name="poolSize"/> that may be disrupted at once: a percentage rounds down but
    /// gives at least one slot (else a small pool with <c>10%</c> would never update), a count is capped at the pool size.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="poolSize"/> is negative.</exception>
    /// <exception cref="InvalidOperationException"><see cref="MaxUnavailable"/> does not parse; <see cref="NodeDaemonOptions.Validate"/> reports that at start.</exception>
    public int SlotsFor(int poolSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(poolSize);
        if (!MaxUnavailableValue.TryParse(MaxUnavailable, out var value) || value.Amount < 1)
        {
            throw new InvalidOperationException(
                $"fleet.maxUnavailable {ValueText.Quote(MaxUnavailable)} is not a positive count or percentage");
        }

        if (poolSize == 0)
        {
            return 0;
        }

        var slots = value.IsPercent ? (int)((long)poolSize * value.Amount / 100) : value.Amount;
        return Math.Clamp(slots, 1, poolSize);
    }
}
