namespace NodeDaemon.Core.Options;

/// <summary>One maintenance window as written: the days it starts on, its start time and its length.</summary>
/// <remarks>
/// Kept as written (like <see cref="FleetOptions.MaxUnavailable"/>) so that validation can echo the bad value and the
/// effective configuration prints what the admin typed; <see cref="Maintenance.MaintenanceSchedule"/> holds the parsed form.
/// </remarks>
public sealed record MaintenanceWindowOptions
{
    /// <summary>Days the window starts on (<c>Mon</c>..<c>Sun</c> or full names); empty means every day.</summary>
    public IReadOnlyList<string> Days { get; init; } = [];

    /// <summary>Start time, 24-hour <c>HH:MM</c> in <see cref="MaintenanceOptions.TimeZone"/>.</summary>
    public string Start { get; init; } = "";

    /// <summary>How long the window stays open, in minutes of elapsed time; it may run past midnight.</summary>
    public int LengthMinutes { get; init; }

    /// <summary>Value equality, including the days (a record compares lists by reference).</summary>
    public bool Equals(MaintenanceWindowOptions? other) =>
        other is not null && Start == other.Start && LengthMinutes == other.LengthMinutes
        && (Days ?? []).SequenceEqual(other.Days ?? [], StringComparer.Ordinal);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Start, LengthMinutes, Days?.Count ?? 0);
}
