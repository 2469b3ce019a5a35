using System.Globalization;
using System.Text.Json.Nodes;

namespace NodeDaemon.Bench;

/// <summary>A process's resident memory split the way <c>/proc/PID/smaps</c> accounts it: anonymous pages, pages of the
/// executable's own file, and pages of every other file (libc and the other shared libraries).</summary>
/// <remarks>Anonymous includes the executable's copy-on-write data pages, as smaps counts them; file-backed is what the
/// kernel can drop and read back from disk under pressure, so the two answer different questions (issue 19 §5).</remarks>
/// <param name="RssKb">All resident pages.</param>
/// <param name="AnonymousKb">Resident anonymous pages (heap, stacks, GC heap, dirtied data pages).</param>
/// <param name="BinaryFileKb">Resident pages of the executable file itself (code, read-only data).</param>
/// <param name="OtherFileKb">Resident pages of other files (shared libraries).</param>
/// <param name="Largest">The largest mappings by RSS: name (or [anon]/[heap]/[stack]), permissions, RSS and anonymous KB.</param>
internal sealed record SmapsSplit(long RssKb, long AnonymousKb, long BinaryFileKb, long OtherFileKb, IReadOnlyList<(string Name, string Perms, long RssKb, long AnonymousKb)> Largest)
{
    /// <summary>Reads <c>/proc/<paramref name="pid"/>/smaps</c>; <paramref name="binary"/> is the executable's path.</summary>
    public static SmapsSplit Read(int pid, string binary)
    {
        var exe = Path.GetFullPath(binary);
        var mappings = new List<(string Name, string Perms, long Rss, long Anon)>();
        string? name = null;
        var perms = "";
        long rss = 0, anon = 0;
        foreach (var line in File.ReadLines($"/proc/{pid}/smaps"))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length >= 5 && parts[0].Contains('-', StringComparison.Ordinal) && !parts[0].EndsWith(':'))
            {
                if (name is not null)
                {
                    mappings.Add((name, perms, rss, anon));
                }

                // address perms offset dev inode [path]: a mapping without a path is anonymous.
                (name, perms, rss, anon) = (parts.Length > 5 ? string.Join(' ', parts[5..]) : "[anon]", parts[1], 0, 0);
            }
            else if (parts.Length >= 2 && parts[0] == "Rss:")
            {
                rss = long.Parse(parts[1], CultureInfo.InvariantCulture);
            }
            else if (parts.Length >= 2 && parts[0] == "Anonymous:")
            {
                anon = long.Parse(parts[1], CultureInfo.InvariantCulture);
            }
        }

        if (name is not null)
        {
            mappings.Add((name, perms, rss, anon));
        }

        var total = mappings.Sum(m => m.Rss);
        var anonymous = mappings.Sum(m => m.Anon);
        var binaryFile = mappings.Where(m => m.Name == exe).Sum(m => m.Rss - m.Anon);
        var largest = mappings.OrderByDescending(m => m.Rss).Take(8).ToList();
        return new SmapsSplit(total, anonymous, binaryFile, total - anonymous - binaryFile, largest);
    }

    /// <summary>The figures in MB, as the bench writes them.</summary>
    public JsonObject ToJson() => new()
    {
        ["rssMb"] = Mb(RssKb),
        ["anonymousMb"] = Mb(AnonymousKb),
        ["fileMb"] = Mb(RssKb - AnonymousKb),
        ["binaryFileMb"] = Mb(BinaryFileKb),
        ["otherFileMb"] = Mb(OtherFileKb),
        ["largestMappings"] = new JsonArray([.. Largest.Select(m => (JsonNode)new JsonObject
        {
            ["name"] = Path.GetFileName(m.Name) is { Length: > 0 } file ? file : m.Name,
            ["perms"] = m.Perms,
            ["rssKb"] = m.RssKb,
            ["anonymousKb"] = m.AnonymousKb,
        })]),
    };

    /// <summary>The median sample by total RSS (the split of one real sample, not a mix of several).</summary>
    public static SmapsSplit Median(IReadOnlyList<SmapsSplit> samples) => samples.OrderBy(s => s.RssKb).ElementAt(samples.Count / 2);

    private static double Mb(long kb) => Math.Round(kb / 1024.0, 1);
}
