using Microsoft.Extensions.Logging;
using NodeDaemon.Core.Host;
using NodeDaemon.Core.Images;
using Tmds.DBus.Protocol;

namespace NodeDaemon.RpmOstree;

/// <summary>FinalizeDeployment: by the image digest, with the older rpm-ostree's commit as a single fallback.</summary>
/// <remarks>rpm-ostree since v2025.7 compares the <c>checksum</c> option with the staged container image's digest
/// (<c>finalize_deployment_transaction_execute</c>); before, with the base ostree commit. Its answer then names
/// what it found, and when that is the commit of the stage read here the call is repeated once with it: the
/// comparison runs before the unlock, so the refused first call changed nothing.</remarks>
internal sealed class RpmOstreeFinalizer(RpmOstreeBus bus, RpmOstreeStatusReader status, RpmOstreeTransactions transactions, IRebooter rebooter,
    ILogger logger)
{
    private const string AlreadyUnlocked = "Staged deployment already unlocked";

    /// <summary>Unlocks the stage of <paramref name="digest"/> and has rpm-ostreed reboot into it (logind for a stage already unlocked).</summary>
    public async Task FinalizeAsync(Digest digest, CancellationToken cancellationToken)
    {
        // Only the stage and the OS path are used, so only they are read (3 calls, not the full status's 6): this runs
        // between the drain and the reboot, the node's cordoned window.
        var (stage, osPath) = await status.ReadStagedAsync().ConfigureAwait(false);
        if (stage is not { } staged || staged.ImageDigest != digest)
        {
            throw new HostException($"no staged deployment of {digest} to finalize (staged: {stage?.ImageDigest?.ToString() ?? "none"})");
        }

        var message = await FinalizeWithAsync(osPath, digest.ToString(), cancellationToken).ConfigureAwait(false);
        if (message is not null && FinalizeAnswer.FoundChecksum(message, digest.ToString()) is { } found
            && (found == staged.Checksum || found == staged.BaseChecksum))
        {
            RpmOstreeLog.FinalizeByCommit(logger, digest.ToString(), found);
            message = await FinalizeWithAsync(osPath, found, cancellationToken).ConfigureAwait(false);
        }

        if (message is null)
        {
            RpmOstreeLog.RebootRequested(logger, digest.ToString(), "FinalizeDeployment");
            return;
        }

        if (FinalizeAnswer.IsInhibited(message))
        {
            // Refused before the unlock: the stage is still locked, and trying again later is safe.
            throw new HostException(HostErrorKind.Inhibited, FinalizeAnswer.OneLine(message));
        }

        if (!message.Contains(AlreadyUnlocked, StringComparison.Ordinal))
        {
            throw new HostException(HostErrorKind.Failed, message);
        }

        // Staged without a lock (not by us, or by a daemon that lost its notes): a plain reboot applies it.
        RpmOstreeLog.RebootRequested(logger, digest.ToString(), "logind");
        await rebooter.RebootAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One FinalizeDeployment with <paramref name="checksum"/>; null when it succeeded, else rpm-ostree's answer.</summary>
    private async Task<string?> FinalizeWithAsync(string osPath, string checksum, CancellationToken cancellationToken)
    {
        try
        {
            var options = new Dictionary<string, VariantValue> { ["checksum"] = checksum };
            var address = await transactions.StartAsync(() => bus.FinalizeDeploymentAsync(osPath, options), cancellationToken).ConfigureAwait(false);
            var outcome = await transactions.RunAsync(address, "FinalizeDeployment", progress: null, cancellationToken).ConfigureAwait(false);
            if (outcome.End is TransactionEnd.Vanished)
            {
                // rpm-ostreed sends Finished before it asks systemd to reboot (rpmostreed_daemon_reboot queues the
                // reboot "until we return to the client"), so an end without Finished is a death, not the reboot: the
                // stage may be locked still, or unlocked with no reboot coming. Unanswered, never accepted.
                RpmOstreeLog.Vanished(logger, "FinalizeDeployment");
                throw new HostException(HostErrorKind.Unavailable, "rpm-ostreed went away during FinalizeDeployment without answering");
            }

            return outcome.End is TransactionEnd.Succeeded ? null : outcome.Message;
        }
        catch (DBusErrorReplyException e) when (e.ErrorName != RpmOstreeNames.BusyError)
        {
            return e.ErrorMessage;
        }
    }
}
