using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;

namespace NodeDaemon.Hosting;

/// <summary>Gives back what only start-up needed, once, a few seconds after READY=1: the start-up garbage (one
/// aggressive collection, then glibc's free heap pages) and the start-up pages of the executable and its libraries
/// (<see cref="StartupPages"/>).</summary>
/// <remarks>An idle daemon on every node should cost what its idle loop uses, not what its start did (issue 19 §5).
/// The delay lets the agent's first turn (host status, node read, first report) run on the pages it needs; what it
/// touches later is mapped again on demand. Best effort: a kernel without MADV_DONTNEED semantics or an unreadable
/// smaps leaves the pages where they are and changes nothing else.</remarks>
public sealed partial class StartupRelease(IHostApplicationLifetime lifetime, TimeProvider time) : IHostedService, IDisposable
{
    /// <summary>How long after the host started the release runs.</summary>
    public static readonly TimeSpan Delay = TimeSpan.FromSeconds(3);

    private const int MadvDontNeed = 4;
    private CancellationTokenRegistration _started;
    private ITimer? _timer;

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _started = lifetime.ApplicationStarted.Register(() => _timer = time.CreateTimer(_ => Release(), null, Delay, Timeout.InfiniteTimeSpan));
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _started.Dispose();
        _timer?.Dispose();
    }

    /// <summary>The release itself: a compacting collection that returns free memory to the system, glibc's free
    /// pages, then the clean read-only file pages. Returns how many bytes of mappings were let go.</summary>
    public static ulong Release()
    {
        // Aggressive: compacts and decommits what it freed, which a normal gen0 collection would keep for reuse.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        try
        {
            // What OpenSSL and the runtime freed after start-up stays in glibc's arenas until trimmed.
            _ = MallocTrim(0);
        }
        catch (EntryPointNotFoundException)
        {
            // Not glibc: nothing to trim this way.
        }

        return ReleasePages();
    }

    /// <summary>Lets go of this process's releasable mappings (<see cref="StartupPages.Releasable"/>).</summary>
    public static ulong ReleasePages()
    {
        string smaps;
        try
        {
            smaps = File.ReadAllText("/proc/self/smaps");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }

        ulong released = 0;
        foreach (var (start, length) in StartupPages.Releasable(smaps))
        {
            if (Madvise((nint)start, (nuint)length, MadvDontNeed) == 0)
            {
                released += length;
            }
        }

        return released;
    }

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);

    [LibraryImport("libc", EntryPoint = "madvise", SetLastError = true)]
    private static partial int Madvise(nint address, nuint length, int advice);
}
