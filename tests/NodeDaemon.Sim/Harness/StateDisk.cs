namespace NodeDaemon.Sim.Harness;

/// <summary>A small ext4 file system, loop-mounted, for the daemon's state directory; it can be filled to the last block
/// (ENOSPC, as a full <c>/var</c> on a node) and is unmounted, with its loop device, on dispose.</summary>
/// <remarks>Needs root (CI runs as root): <c>mount -o loop</c>. ext4 rather than tmpfs because the daemon refuses a state
/// directory on tmpfs at start (its notes must survive a reboot). <c>-m 0</c> takes away the blocks ext4 reserves for
/// root, as XFS (Fedora CoreOS's <c>/var</c>) has none, so the daemon, root too, meets the full disk.</remarks>
public sealed class StateDisk : IDisposable
{
    private static readonly TimeSpan s_toolTimeout = TimeSpan.FromSeconds(30);
    private readonly string _image;
    private bool _mounted;

    private StateDisk(string image, string mountPoint)
    {
        _image = image;
        MountPoint = mountPoint;
    }

    /// <summary>Where the file system is mounted: the state directory.</summary>
    public string MountPoint { get; }

    /// <summary>Makes an image of <paramref name="megabytes"/> MB at <paramref name="image"/> and mounts it at <paramref name="mountPoint"/>.</summary>
    /// <exception cref="InvalidOperationException">Not root, or a tool failed: the message says which and why.</exception>
    public static async Task<StateDisk> MountAsync(string image, string mountPoint, int megabytes)
    {
        if (!IsRoot())
        {
            throw new InvalidOperationException("a state directory on its own file system needs root (mount -o loop); run the scenario as root, as CI does");
        }

        using (var file = File.Create(image))
        {
            file.SetLength(megabytes * 1024L * 1024L);
        }

        Directory.CreateDirectory(mountPoint);
        await Run("mkfs.ext4", ["-q", "-F", "-m", "0", image]).ConfigureAwait(false);
        var disk = new StateDisk(image, mountPoint);
        await Run("mount", ["-o", "loop", image, mountPoint]).ConfigureAwait(false);
        disk._mounted = true;
        return disk;
    }

    /// <summary>Writes a file until the file system has no block left (ENOSPC); returns the bytes written.</summary>
    public long Fill()
    {
        var path = Path.Combine(MountPoint, "filler");
        long written = 0;
        using var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.None, bufferSize: 1);
        // Large writes first, then smaller ones for the last partial blocks.
        foreach (var size in new[] { 1 << 20, 1 << 16, 1 << 12, 1 << 9, 1 })
        {
            var chunk = new byte[size];
            while (true)
            {
                try
                {
                    file.Write(chunk);
                    file.Flush(flushToDisk: true);
                    written += size;
                }
                catch (IOException)
                {
                    break;
                }
            }
        }

        return written;
    }

    /// <summary>Unmounts and detaches the loop device (<c>umount -d</c>); the image goes with the run's directory.</summary>
    public void Dispose()
    {
        if (!_mounted)
        {
            return;
        }

        _mounted = false;
        try
        {
            Run("umount", ["-d", MountPoint]).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            // Busy (a process still in it): a lazy unmount frees it once that process is gone, and detaches the device.
            try
            {
                Run("umount", ["-l", "-d", MountPoint]).GetAwaiter().GetResult();
            }
            catch (Exception again) when (again is InvalidOperationException or TimeoutException)
            {
                Console.Error.WriteLine($"nodedaemon-sim: could not unmount {MountPoint}: {again.Message}");
                return;
            }
        }

        File.Delete(_image);
    }

    private static bool IsRoot()
    {
        // The real uid, as the kernel has it: the Uid line of /proc/self/status.
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal));
        return line?.Split('\t', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(1) == "0";
    }

    private static async Task Run(string tool, string[] args)
    {
        ToolResult result;
        try
        {
            result = await Tool.RunAsync(tool, args, s_toolTimeout).ConfigureAwait(false);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"{tool} is missing ({e.Message}); Debian's e2fsprogs and mount provide it", e);
        }

        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} {string.Join(' ', args)} failed ({result.ExitCode}): {result.StandardError.Trim()}");
        }
    }
}
