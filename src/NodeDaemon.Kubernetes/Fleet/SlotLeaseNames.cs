using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace NodeDaemon.Kubernetes.Fleet;

/// <summary>Names of the slot Leases: <c>nodedaemon-&lt;pool&gt;-&lt;i&gt;</c>, a DNS-1123 label of at most 63 characters.</summary>
/// <remarks>
/// A pool value is a label value (letters of both cases, digits, '-', '_', '.', or empty, as for
/// <c>node-role.kubernetes.io/worker</c>). One that is not already a lower-case DNS label, or is too long, is
/// sanitized and gets the first 8 hex digits of its SHA-256 appended, so that <c>Workers</c>, <c>workers_</c> and
/// <c>workers</c> never share Leases: sharing would not break the limit (the create or update still arbitrates) but one
/// pool could starve the other.
/// </remarks>
internal static class SlotLeaseNames
{
    /// <summary>The holder label's value on a free slot: it has a '_', which no node name has (they are DNS subdomains).</summary>
    public const string FreeLabel = "slot_free";

    /// <summary>
    /// <paramref name="node"/> as a label value: itself when it fits (node names are lower-case DNS subdomains, whose
    /// characters label values allow), else <c>sha256-</c> and the first 56 hex digits of its SHA-256 (63 characters).
    /// </summary>
    public static string HolderLabel(string node) => node.Length <= MaxLength
        ? node
        : "sha256-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(node)))[..56];

    /// <summary>What every slot Lease name starts with.</summary>
    public const string Prefix = "nodedaemon-";

    /// <summary>The longest name (a DNS-1123 label, so it also fits where only labels are allowed).</summary>
    public const int MaxLength = 63;

    // Room for "-" and a five-digit index after the pool segment.
    private const int MaxSegment = MaxLength - 11 - 6;
    private const int HashLength = 8;

    /// <summary>The Lease of slot <paramref name="index"/> of <paramref name="pool"/>.</summary>
    public static string For(string pool, int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        return string.Create(CultureInfo.InvariantCulture, $"{Prefix}{Segment(pool)}-{index}");
    }

    /// <summary>The slot index when <paramref name="leaseName"/> is a slot Lease of <paramref name="pool"/>, else null.</summary>
    public static int? IndexOf(string leaseName, string pool)
    {
        var head = $"{Prefix}{Segment(pool)}-";
        if (!leaseName.StartsWith(head, StringComparison.Ordinal))
        {
            return null;
        }

        var digits = leaseName.AsSpan(head.Length);
        // Exactly what For writes: no sign, no leading zero, so one slot has one name.
        if (digits.IsEmpty || digits.Length > 5 || digits.ContainsAnyExceptInRange('0', '9') || (digits.Length > 1 && digits[0] == '0'))
        {
            return null;
        }

        return int.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
    }

    /// <summary>The pool's part of the name: the value itself when it is a short lower-case DNS label, else sanitized plus a hash.</summary>
    public static string Segment(string pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var clean = new StringBuilder(pool.Length);
        foreach (var c in pool)
        {
            clean.Append(char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-');
        }

        var sanitized = clean.ToString().Trim('-');
        if (sanitized.Length > 0 && sanitized == pool && sanitized.Length <= MaxSegment)
        {
            return sanitized;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(pool)))[..HashLength];
        var kept = sanitized.Length > MaxSegment - HashLength - 1 ? sanitized[..(MaxSegment - HashLength - 1)].TrimEnd('-') : sanitized;
        return kept.Length == 0 ? hash : $"{kept}-{hash}";
    }
}
