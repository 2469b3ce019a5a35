using Tmds.DBus.Protocol;

namespace NodeDaemon.RpmOstree;

/// <summary>rpm-ostreed's client registration: held for one operation, given back after it.</summary>
/// <remarks>rpm-ostreed exits after <c>IdleExitTimeout</c> (60 s) with no registered client and no transaction, and the
/// bus starts it again on the next call (<c>rpmostreed-daemon.cxx</c> <c>update_status</c>). Registered for good (as
/// this daemon was before), it would never exit on a node whose agent sleeps between turns for days. Each operation
/// registers first (<see cref="RpmOstreeBus.RegisterClientAsync"/>, which also activates it), as the rpm-ostree CLI
/// does per command, and unregisters at its end.</remarks>
public sealed partial class RpmOstreeHost
{
    /// <summary>How long the goodbye may take; it is a courtesy, and a wedged rpm-ostreed must not hold the turn.</summary>
    private static readonly TimeSpan s_unregisterTimeout = TimeSpan.FromSeconds(5);

    private async Task<T> AsClientAsync<T>(Func<Task<T>> operation)
    {
        try
        {
            return await operation().ConfigureAwait(false);
        }
        finally
        {
            await UnregisterAsync().ConfigureAwait(false);
        }
    }

    private async Task UnregisterAsync()
    {
        try
        {
            await _bus.UnregisterClientAsync().WaitAsync(s_unregisterTimeout, _time).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DBusExceptionBase or TimeoutException)
        {
            // Gone (a reboot, an idle exit, a crash) or slow: either way it forgets us when our name or it goes away,
            // and the next operation registers again.
        }
    }
}
