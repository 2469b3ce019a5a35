using Microsoft.Extensions.Logging;
using NodeDaemon.Core.Host;
using Tmds.DBus.Protocol;

namespace NodeDaemon.RpmOstree;

/// <summary>The automatic rollback over rpm-ostreed: <c>OS.Rollback</c> without <c>reboot</c>, then logind's reboot.</summary>
/// <remarks>rpm-ostree's Rollback (<c>rollback_transaction_execute</c>) moves the rollback deployment to the top of the boot
/// order; with none but a pending one it moves the booted one back on top instead, so a second call would undo the first.
/// It is asked only while the previous deployment is the rollback one, and skipped when it is already the default. The
/// <c>reboot</c> option is never passed: the reboot goes through logind, like an update's, so a shutdown inhibitor is honoured
/// the same way and the daemon, not rpm-ostreed, owns it.</remarks>
internal sealed class RpmOstreeRollback(RpmOstreeBus bus, RpmOstreeStatusReader status, RpmOstreeTransactions transactions, IRebooter rebooter,
    ILogger logger)
{
    /// <summary>Makes commit <paramref name="previousChecksum"/> boot next (unless it already does) and reboots through logind.</summary>
    public async Task RollbackAsync(string previousChecksum, CancellationToken cancellationToken)
    {
        var (read, osPath) = await status.ReadAsync().ConfigureAwait(false);
        if (read.Default?.Checksum == previousChecksum)
        {
            RpmOstreeLog.RollbackAlreadyDefault(logger, previousChecksum);
        }
        else if (read.Rollback?.Checksum != previousChecksum)
        {
            throw new HostException(HostErrorKind.Failed,
                $"the previous deployment (commit {previousChecksum}) is not the rollback deployment any more (rollback: {read.Rollback?.Checksum ?? "none"})");
        }
        else
        {
            TransactionOutcome outcome;
            try
            {
                var address = await transactions.StartAsync(() => bus.RollbackAsync(osPath, new Dictionary<string, VariantValue>()), cancellationToken)
                    .ConfigureAwait(false);
                outcome = await transactions.RunAsync(address, "Rollback", progress: null, cancellationToken).ConfigureAwait(false);
            }
            catch (DBusErrorReplyException e) when (e.ErrorName != RpmOstreeNames.BusyError)
            {
                // Refused before a transaction began (polkit, "Reboot initiated"): rpm-ostreed's words, verbatim.
                throw new HostException(HostErrorKind.Failed, e.ErrorMessage, e);
            }

            if (outcome.End is TransactionEnd.Vanished)
            {
                // No answer: the new order may or may not be written; the next ask reads it and decides again.
                RpmOstreeLog.Vanished(logger, "Rollback");
                throw new HostException(HostErrorKind.Unavailable, "rpm-ostreed went away during Rollback without answering");
            }

            if (outcome.End is not TransactionEnd.Succeeded)
            {
                throw new HostException(HostErrorKind.Failed, outcome.Message);
            }
        }

        RpmOstreeLog.RollbackRequested(logger, previousChecksum, "OS.Rollback");
        await rebooter.RebootAsync(cancellationToken).ConfigureAwait(false);
    }
}
