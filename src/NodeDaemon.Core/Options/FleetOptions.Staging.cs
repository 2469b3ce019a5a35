namespace NodeDaemon.Core.Options;

/// <summary>Turns <see cref="MaxStaging"/> into a number of staging slots for a pool.</summary>
public sealed partial record FleetOptions
{
    /// <summary>Whether pulls are bounded at all: fleet coordination on and <see cref="MaxStaging"/> not zero.</summary>
    public bool StagingBounded => Enabled && MaxUnavailableValue.TryParse(MaxStaging, out var value) && value.Amount > 0;

    /// <summary>The staging slots of any pool when <see cref="MaxStaging"/> is a positive count; null for a percentage
    /// (it needs the pool's size) or for unbounded.</summary>
    public int? FixedStagingSlots => MaxUnavailableValue.TryParse(MaxStaging, out var value) && value.Amount >= 1 && !value.IsPercent ? value.Amount : null;

    /// <summary>
    /// Concurrent pulls allowed in a pool of <paramref name="poolSize"/>, 0 for unbounded: a percentage rounds down but
    /// gives at least one slot (as <see cref="SlotsFor"/>), a count is taken as it is (a pool smaller than it never fills it).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="poolSize"/> is negative.</exception>
    /// <exception cref="InvalidOperationException"><see cref="MaxStaging"/> does not parse; <see cref="NodeDaemonOptions.Validate"/> reports that at start.</exception>
    public int StagingSlotsFor(int poolSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(poolSize);
        if (!MaxUnavailableValue.TryParse(MaxStaging, out var value))
        {
            throw new InvalidOperationException($"fleet.maxStaging {ValueText.Quote(MaxStaging)} is not a count or percentage");
        }

        if (value.Amount == 0)
        {
            return 0;
        }

        return value.IsPercent ? Math.Max(1, (int)((long)poolSize * value.Amount / 100)) : value.Amount;
    }
}
