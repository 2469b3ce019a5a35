namespace NodeDaemon.Core.Options;

/// <summary>When the node may be disrupted (cordon, drain, reboot); staging goes on at any time.</summary>
/// <remarks>
/// A section of its own rather than part of <c>reboot</c>: a window gates the cordon and the drain as much as the
/// reboot, and it is the one setting an admin looks for by that name (Zincati's <c>updates.periodic</c>, kured's
/// <c>--reboot-days</c>).
/// </remarks>
public sealed record MaintenanceOptions
{
    /// <summary>The windows; the node may be disrupted while any is open. None means always (the default).</summary>
    public IReadOnlyList<MaintenanceWindowOptions> Windows { get; init; } = [];

    /// <summary>IANA time zone the windows' days and start times are read in, e.g. <c>Europe/Berlin</c>.</summary>
    public string TimeZone { get; init; } = NodeDaemonOptionsDefaults.MaintenanceTimeZone;

    /// <summary>Value equality, including the windows (a record compares lists by reference).</summary>
    public bool Equals(MaintenanceOptions? other) =>
        other is not null && TimeZone == other.TimeZone && (Windows ?? []).SequenceEqual(other.Windows ?? []);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(TimeZone, Windows?.Count ?? 0);
}
