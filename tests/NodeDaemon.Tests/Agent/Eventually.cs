namespace NodeDaemon.Tests.Agent;

/// <summary>A bounded real-time wait for a running loop's task to get somewhere; what it does is decided by the fake clock alone.</summary>
internal static class Eventually
{
    /// <summary>Returns once <paramref name="condition"/> holds; throws after 10 s of real time.</summary>
    public static async Task HoldsAsync(Func<bool> condition, string what)
    {
        for (var waited = 0; waited < 10_000; waited += 10)
        {
            if (condition())
            {
                return;
            }

            await Task.Delay(10);
        }

        throw new TimeoutException($"gave up waiting for {what}");
    }
}
