using System.Globalization;

namespace NodeDaemon.Hosting;

/// <summary>Which resident file pages may be let go once start-up is over: a pure reading of <c>/proc/self/smaps</c>.</summary>
/// <remarks>Measured (docs/benchmarks.md, "Footprint"): 11.6 MB of the 13.8 MB binary stayed resident in an idle daemon,
/// because start-up runs code from all over the text (host, options, DI, kubeconfig, TLS) and reads the 1.9 MB of
/// dehydrated type data once, and the kernel maps every touched page's 64 KB neighbourhood with it; over TLS, OpenSSL's
/// libcrypto adds 2.5 MB the same way. Only a read-only mapping of a regular file with no anonymous (copy-on-write) page
/// is chosen: there every page equals the file, so dropping it with MADV_DONTNEED loses nothing and the next touch maps
/// it again from the page cache. A writable mapping, one the loader relocated, a deleted file, a device or a memfd is
/// never chosen.</remarks>
public static class StartupPages
{
    /// <summary>The address ranges (start, length) of the read-only mappings of regular files (the executable and its
    /// shared libraries) without anonymous pages, from the text of <c>/proc/self/smaps</c>.</summary>
    public static IReadOnlyList<(ulong Start, ulong Length)> Releasable(string smaps)
    {
        ArgumentNullException.ThrowIfNull(smaps);
        var chosen = new List<(ulong, ulong)>();
        (ulong Start, ulong End, bool Candidate)? current = null;
        long? anonymous = null;
        foreach (var line in smaps.Split('\n'))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 0)
            {
                continue;
            }

            if (Header(parts) is { } header)
            {
                Close(current, anonymous, chosen);
                // address perms offset dev inode path: a regular file, and not writable.
                var path = parts.Length > 5 ? string.Join(' ', parts[5..]) : "";
                current = (header.Start, header.End, RegularFile(path) && !parts[1].Contains('w', StringComparison.Ordinal));
                anonymous = null;
            }
            else if (parts[0] == "Anonymous:" && parts.Length >= 2 && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var kb))
            {
                anonymous = kb;
            }
        }

        Close(current, anonymous, chosen);
        return chosen;
    }

    private static void Close((ulong Start, ulong End, bool Candidate)? mapping, long? anonymous, List<(ulong, ulong)> chosen)
    {
        // No Anonymous line at all means a kernel we do not understand: keep the mapping.
        if (mapping is { Candidate: true } m && anonymous == 0 && m.End > m.Start)
        {
            chosen.Add((m.Start, m.End - m.Start));
        }
    }

    /// <summary>A path on a file system: not [anon], [heap], [vdso], a device, a memfd or a file deleted since.</summary>
    private static bool RegularFile(string path) =>
        path.StartsWith('/') && !path.StartsWith("/dev/", StringComparison.Ordinal) && !path.StartsWith("/memfd:", StringComparison.Ordinal)
        && !path.EndsWith(" (deleted)", StringComparison.Ordinal);

    private static (ulong Start, ulong End)? Header(string[] parts)
    {
        if (parts.Length < 5 || parts[0].EndsWith(':') || parts[0].Split('-') is not [var from, var to])
        {
            return null;
        }

        return ulong.TryParse(from, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var start)
            && ulong.TryParse(to, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var end)
            ? (start, end)
            : null;
    }
}
