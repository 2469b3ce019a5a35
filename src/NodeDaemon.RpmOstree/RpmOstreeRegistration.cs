using Microsoft.Extensions.Logging;
using Tmds.DBus.Protocol;

namespace NodeDaemon.RpmOstree;

/// <summary>rpm-ostreed's client registration: held for one operation, given back after it, and let go after a reboot that never came.</summary>
/// <remarks>
/// <para>rpm-ostreed exits after <c>IdleExitTimeout</c> (60 s) with no registered client and no transaction, and the
/// bus starts it again on the next call (<c>rpmostreed-daemon.cxx</c> <c>update_status</c>). Registered for good (as
/// this daemon was before), it would never exit on a node whose agent sleeps between turns for days. Each operation
/// registers first (<see cref="RpmOstreeBus.RegisterClientAsync"/>, which also activates it), as the rpm-ostree CLI
/// does per command, and unregisters at its end.</para>
/// <para>rpm-ostree v2026.2: <c>rpmostreed_daemon_reboot</c> sets <c>rebooting</c> and runs <c>systemctl reboot</c>
/// without looking at its exit status, so a reboot that logind refuses leaves the flag set; from then on
/// <c>rpmostreed_sysroot_prep_for_txn</c> answers every transaction with "Reboot initiated, cannot start new transaction".
/// Only a new rpm-ostreed forgets it, and the old one exits only when idle: no transaction and no registered client
/// (<c>update_status</c>, <c>IdleExitTimeout</c> 60 s). Our registration would keep it up for ever, with our stage
/// unlocked and no way to drop it, so on that answer the client unregisters and stays unregistered until a transaction
/// is accepted again (D-Bus activation then runs a fresh rpm-ostreed).</para>
/// </remarks>
internal sealed class RpmOstreeRegistration(RpmOstreeBus bus, string clientId, TimeProvider time, ILogger logger)
{
    /// <summary>How long the goodbye may take; it is a courtesy, and a wedged rpm-ostreed must not hold the turn.</summary>
    private static readonly TimeSpan s_unregisterTimeout = TimeSpan.FromSeconds(5);

    /// <summary>True from that answer until a transaction is accepted: no RegisterClient meanwhile.</summary>
    private volatile bool _lettingGo;

    /// <summary>Runs <paramref name="operation"/>, which registers at its first read, and unregisters after it whatever its end.</summary>
    public async Task<T> ForOneOperationAsync<T>(Func<Task<T>> operation)
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

    /// <summary>Registers (and so activates rpm-ostreed), unless letting it go.</summary>
    public Task RegisterAsync() => _lettingGo ? Task.CompletedTask : bus.RegisterClientAsync(clientId);

    /// <summary>A transaction was accepted: rpm-ostreed is a fresh one (or was never stuck), so registering is right again.</summary>
    public void Accepted() => _lettingGo = false;

    /// <summary>After "Reboot initiated": unregisters and stays so until a transaction is accepted.</summary>
    public async Task LetGoAsync(string hostMessage)
    {
        if (!_lettingGo)
        {
            RpmOstreeLog.RebootInitiatedLetGo(logger, hostMessage);
        }

        _lettingGo = true;
        try
        {
            await bus.UnregisterClientAsync().ConfigureAwait(false);
        }
        catch (DBusExceptionBase)
        {
            // Gone already (it exited, or the bus dropped us): nothing holds it up.
        }
    }

    private async Task UnregisterAsync()
    {
        try
        {
            await bus.UnregisterClientAsync().WaitAsync(s_unregisterTimeout, time).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DBusExceptionBase or TimeoutException)
        {
            // Gone (a reboot, an idle exit, a crash) or slow: either way it forgets us when our name or it goes away,
            // and the next operation registers again.
        }
    }
}
