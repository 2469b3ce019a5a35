using System.Diagnostics;

namespace NodeDaemon.Testing;

/// <summary>The one bounded real-time wait of the tests: for what another thread or process does (a loop's task, a
/// simulator, the daemon binary), never for time to pass. What the code under test does is decided by its own
/// clock (a fake one in unit tests); the bound only keeps a broken test from hanging.</summary>
public static class Poll
{
    /// <summary>The bound when none is given: generous, because two cores are shared by whole test runs.</summary>
    public static readonly TimeSpan DefaultBound = TimeSpan.FromSeconds(30);

    /// <summary>Returns once <paramref name="condition"/> holds; throws <see cref="TimeoutException"/> naming
    /// <paramref name="what"/> (and what <paramref name="context"/> tells then) after <paramref name="bound"/>.</summary>
    public static Task UntilAsync(Func<bool> condition, string what, TimeSpan? bound = null, Func<string>? context = null) =>
        UntilAsync(() => Task.FromResult(condition()), what, bound, context);

    /// <summary>Like <see cref="UntilAsync(Func{bool}, string, TimeSpan?, Func{string}?)"/> for a condition that must
    /// itself ask (a D-Bus call, an HTTP request).</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? bound = null, Func<string>? context = null)
    {
        var limit = bound ?? DefaultBound;
        var started = Stopwatch.GetTimestamp();
        while (!await condition().ConfigureAwait(false))
        {
            if (Stopwatch.GetElapsedTime(started) > limit)
            {
                throw new TimeoutException($"timed out after {limit} waiting for {what}{(context is null ? "" : "; " + context())}");
            }

            await Task.Delay(10).ConfigureAwait(false);
        }
    }
}
