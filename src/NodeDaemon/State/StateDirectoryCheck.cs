using System.Text;

namespace NodeDaemon.State;

/// <summary>Refuses a <c>stateDirectory</c> whose notes would not survive a reboot, before the daemon runs.</summary>
/// <remarks>
/// The notes count reboots and stage attempts for one desired image; kept on tmpfs they vanish at every boot, which
/// resets <c>reboot.maxAttempts</c> and lets a node drain and reboot in a loop. The file system is found the way
/// findmnt -T does: the longest mount point in /proc/self/mountinfo that holds the directory (or, before it exists,
/// its nearest existing parent), and its type is what statfs(2) would answer (TMPFS_MAGIC, RAMFS_MAGIC).
/// </remarks>
public static class StateDirectoryCheck
{
    /// <summary>File system types whose content is gone after a reboot.</summary>
    private static readonly string[] s_volatile = ["tmpfs", "ramfs", "devtmpfs", "proc", "sysfs", "cgroup2", "hugetlbfs"];

    /// <summary>The problems with <paramref name="directory"/> as a state directory; empty when it is fine.</summary>
    public static IReadOnlyList<string> Problems(string directory) =>
        Problems(directory, ReadMountInfo(), ExistingAncestor);

    /// <summary>As <see cref="Problems(string)"/>, over a given mount table and path resolver (for tests).</summary>
    /// <param name="directory">The configured directory.</param>
    /// <param name="mountInfo">The text of /proc/self/mountinfo; null when it cannot be read (then only the path is checked).</param>
    /// <param name="resolve">The real path of the directory or of its nearest existing parent.</param>
    public static IReadOnlyList<string> Problems(string directory, string? mountInfo, Func<string, string> resolve)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(resolve);
        const string key = "stateDirectory";
        if (!directory.StartsWith('/'))
        {
            return [$"{key}: must be an absolute path, got \"{directory}\""];
        }

        if (directory.Split('/').Any(part => part is ".." or "."))
        {
            return [$"{key}: must not contain '.' or '..' segments, got \"{directory}\""];
        }

        if (directory.Trim('/').Length == 0)
        {
            return [$"{key}: must not be the root directory '/'; use a directory of its own such as /var/lib/nodedaemon"];
        }

        if (mountInfo is null)
        {
            return [];
        }

        var real = resolve(directory);
        if (MountOf(real, mountInfo) is { } mount && s_volatile.Contains(mount.Type, StringComparer.Ordinal))
        {
            return [$"{key}: {directory} is on {mount.Type} (mounted at {mount.Point}), which does not survive a reboot; the daemon's notes "
                + "(reboot and stage attempts) must, or a node could drain and reboot in a loop: use a directory on persistent storage such as /var/lib/nodedaemon"];
        }

        return [];
    }

    /// <summary>The mount that holds <paramref name="path"/>: the longest mount point that is a prefix of it (the last one mounted wins a tie).</summary>
    internal static (string Point, string Type)? MountOf(string path, string mountInfo)
    {
        (string Point, string Type)? best = null;
        foreach (var line in mountInfo.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            // "36 35 98:0 /root /mnt/point rw,noatime shared:1 - ext4 /dev/sda1 rw": optional fields end at " - ".
            var fields = line.Split(' ');
            var separator = Array.IndexOf(fields, "-");
            if (fields.Length < 5 || separator < 0 || separator + 1 >= fields.Length)
            {
                continue;
            }

            var point = Unescape(fields[4]);
            var holds = point == "/" || path == point || path.StartsWith(point + "/", StringComparison.Ordinal);
            if (holds && (best is null || point.Length >= best.Value.Point.Length))
            {
                best = (point, fields[separator + 1]);
            }
        }

        return best;
    }

    /// <summary>Undoes mountinfo's octal escapes (\040 for a space, \011, \012, \134).</summary>
    private static string Unescape(string field)
    {
        if (!field.Contains('\\', StringComparison.Ordinal))
        {
            return field;
        }

        var text = new StringBuilder(field.Length);
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && i + 3 < field.Length && field.AsSpan(i + 1, 3).IndexOfAnyExceptInRange('0', '7') < 0)
            {
                text.Append((char)Convert.ToInt32(field.Substring(i + 1, 3), 8));
                i += 3;
            }
            else
            {
                text.Append(field[i]);
            }
        }

        return text.ToString();
    }

    private static string? ReadMountInfo()
    {
        try
        {
            return File.ReadAllText("/proc/self/mountinfo");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The real path of <paramref name="directory"/>, or of its nearest existing parent before it is created.</summary>
    private static string ExistingAncestor(string directory)
    {
        var path = directory.TrimEnd('/');
        while (path.Length > 0 && !Directory.Exists(path))
        {
            path = path[..path.LastIndexOf('/')];
        }

        if (path.Length == 0)
        {
            return "/";
        }

        // Symbolic links resolved, so that a link into /run is seen for what it is.
        var info = new DirectoryInfo(path);
        var target = info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? info.FullName;
        return Path.GetFullPath(target);
    }
}
