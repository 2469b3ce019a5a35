using Tmds.DBus.Protocol;

namespace NodeDaemon.RpmOstree;

/// <summary>Out of a reboot that never came: rpm-ostreed takes no transaction after it, until it exits idle.</summary>
/// <remarks>rpm-ostree v2026.2: <c>rpmostreed_daemon_reboot</c> sets <c>rebooting</c> and runs <c>systemctl reboot</c>
/// without looking at its exit status, so a reboot that logind refuses leaves the flag set; from then on
/// <c>rpmostreed_sysroot_prep_for_txn</c> answers every transaction with "Reboot initiated, cannot start new transaction".
/// Only a new rpm-ostreed forgets it, and the old one exits only when idle: no transaction and no registered client
/// (<c>update_status</c>, <c>IdleExitTimeout</c> 60 s). Our registration would keep it up for ever, with our stage
/// unlocked and no way to drop it, so on that answer the client unregisters and stays unregistered until a transaction
/// is accepted again (D-Bus activation then runs a fresh rpm-ostreed).</remarks>
public sealed partial class RpmOstreeHost
{
    private const string RebootInitiated = "Reboot initiated, cannot start new transaction";

    /// <summary>True from that answer until a transaction is accepted: no RegisterClient meanwhile.</summary>
    private volatile bool _lettingGo;

    private async Task LetGoAsync(string hostMessage)
    {
        if (!_lettingGo)
        {
            LogRebootInitiatedLetGo(hostMessage);
        }

        _lettingGo = true;
        try
        {
            await _bus.UnregisterClientAsync().ConfigureAwait(false);
        }
        catch (DBusExceptionBase)
        {
            // Gone already (it exited, or the bus dropped us): nothing holds it up.
        }
    }
}
