using System.Globalization;

namespace NodeDaemon.Kubernetes.Fleet;

/// <summary>Names of the staging slot Leases: <c>nodedaemon-&lt;pool&gt;-s&lt;i&gt;</c>, next to the disruption slots' <c>nodedaemon-&lt;pool&gt;-&lt;i&gt;</c>.</summary>
/// <remarks>
/// The pool segment is the disruption slots' (<see cref="SlotLeaseNames.Segment"/>), so the admission policy checks both
/// families with one rule. The families never meet: a disruption slot's name ends in <c>-</c> and digits, a staging
/// slot's in <c>-s</c> and digits, so no pool's staging Lease is any pool's disruption Lease (nor is it read as one:
/// <see cref="SlotLeaseNames.IndexOf"/> takes digits only). The index has at most four digits so the name stays within
/// 63 characters.
/// </remarks>
internal static class StagingLeaseNames
{
    /// <summary>The most staging slots a pool can have (four index digits).</summary>
    public const int MaxSlots = 10_000;

    /// <summary>The Lease of staging slot <paramref name="index"/> of <paramref name="pool"/>.</summary>
    public static string For(string pool, int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, MaxSlots);
        return string.Create(CultureInfo.InvariantCulture, $"{SlotLeaseNames.Prefix}{SlotLeaseNames.Segment(pool)}-s{index}");
    }

    /// <summary>The staging slot index when <paramref name="leaseName"/> is a staging Lease of <paramref name="pool"/>, else null.</summary>
    public static int? IndexOf(string leaseName, string pool)
    {
        var head = $"{SlotLeaseNames.Prefix}{SlotLeaseNames.Segment(pool)}-s";
        if (!leaseName.StartsWith(head, StringComparison.Ordinal))
        {
            return null;
        }

        var digits = leaseName.AsSpan(head.Length);
        // Exactly what For writes: no sign, no leading zero, so one slot has one name.
        if (digits.IsEmpty || digits.Length > 4 || digits.ContainsAnyExceptInRange('0', '9') || (digits.Length > 1 && digits[0] == '0'))
        {
            return null;
        }

        return int.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
    }
}
