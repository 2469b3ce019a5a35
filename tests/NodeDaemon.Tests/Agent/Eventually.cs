using NodeDaemon.Testing;

namespace NodeDaemon.Tests.Agent;

/// <summary>A bounded real-time wait for a running loop's task to get somewhere; what it does is decided by the fake clock alone.</summary>
internal static class Eventually
{
    /// <summary>Returns once <paramref name="condition"/> holds; throws after <see cref="Poll.DefaultBound"/> of real time.</summary>
    public static Task HoldsAsync(Func<bool> condition, string what) => Poll.UntilAsync(condition, what);
}
