using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;

namespace NodeDaemon.Hosting;

/// <summary>Gives back what only start-up needed, once, a few seconds after READY=1: the start-up garbage (one
/// aggressive collection) and the executable's start-up pages (<see cref="StartupPages"/>).</summary>
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

    /// <summary>The release itself: a compacting collection that returns free memory to the system, then the
    /// executable's clean read-only pages. Returns how many bytes of mappings were let go.</summary>
    public static ulong Release()
    {
        // Aggressive: compacts and decommits what it freed, which a normal gen0 collection would keep for reuse.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        return ReleasePages(Environment.ProcessPath);
    }

    /// <summary>Lets go of <paramref name="executable"/>'s releasable mappings in this process.</summary>
    public static ulong ReleasePages(string? executable)
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
        foreach (var (start, length) in executable is null ? [] : StartupPages.Releasable(smaps, executable))
        {
            if (Madvise((nint)start, (nuint)length, MadvDontNeed) == 0)
            {
                released += length;
            }
        }

        return released;
    }

    [LibraryImport("libc", EntryPoint = "madvise", SetLastError = true)]
    private static partial int Madvise(nint address, nuint length, int advice);
}
