using Microsoft.Extensions.Logging;
using NodeDaemon.Core.Host;
using NodeDaemon.Core.Images;
using Tmds.DBus.Protocol;

namespace NodeDaemon.RpmOstree;

/// <summary>The stage: a Rebase with <c>lock-finalization</c>, checked against the digest asked for, and the Cleanup that drops a stage.</summary>
internal sealed class RpmOstreeStager(RpmOstreeBus bus, RpmOstreeStatusReader status, RpmOstreeTransactions transactions, AuthFileInstaller? auth,
    string clientId, ILogger logger)
{
    /// <summary>Stages <paramref name="refspec"/> locked, or finds it staged already; a stage of another digest is dropped and refused.</summary>
    public async Task<HostDeployment> StageAsync(OstreeRefspec refspec, Digest? expectedDigest, IProgress<StageProgress>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(refspec);
        // Fresh (a restarted rpm-ostreed, another client may have changed it), but only what is used here: the whole
        // status was read by the caller moments ago, and this read sits between the watch event and the Rebase.
        var (before, osPath) = await status.ReadStagedAsync().ConfigureAwait(false);
        if (IsWanted(before, refspec, expectedDigest))
        {
            // Rebasing again would only fail with "Old and new refs are equal"; the stage is there.
            return before!;
        }

        if (before?.ContainerImageReference == refspec.ToString())
        {
            // The same reference staged with another digest (an earlier pull got a moved tag or digest): rpm-ostree
            // refuses a rebase to an equal ref, so the stale stage goes first.
            await CleanupAsync(cancellationToken).ConfigureAwait(false);
        }

        InstallCredentials();
        var options = new Dictionary<string, VariantValue>
        {
            ["lock-finalization"] = true,
            // Deterministic, so that a restarted daemon's identical call joins its own running transaction.
            ["initiating-command-line"] = $"{clientId} stage {refspec}",
        };
        var address = await transactions.StartAsync(() => bus.RebaseAsync(osPath, options, refspec.ToString()), cancellationToken)
            .ConfigureAwait(false);
        var outcome = await transactions.RunAsync(address, "Rebase", progress, cancellationToken).ConfigureAwait(false);
        var staged = await ReadAfterAsync(outcome, refspec).ConfigureAwait(false);
        switch (outcome.End)
        {
            case TransactionEnd.Failed:
                throw new HostException(HostErrorKind.Failed, outcome.Message);
            case TransactionEnd.TimedOut:
                throw new HostException(HostErrorKind.TimedOut, outcome.Message);
            case TransactionEnd.Vanished when staged?.ContainerImageReference != refspec.ToString():
                throw new HostException(HostErrorKind.Unavailable,
                    $"rpm-ostreed went away during the pull of {refspec} and left no staged deployment of it");
        }

        if (staged is null || staged.ContainerImageReference != refspec.ToString())
        {
            throw new HostException($"rpm-ostree reported success but staged {staged?.ContainerImageReference ?? "nothing"} instead of {refspec}");
        }

        if (expectedDigest is { } expected && !IsWanted(staged, refspec, expected))
        {
            // Not ours to keep: a later attempt pulls again, and no reboot, planned or not, may boot it.
            await CleanupAsync(cancellationToken).ConfigureAwait(false);
            throw new HostException(HostErrorKind.DigestMismatch,
                $"the pull of {refspec} staged {staged.ImageDigest?.ToString() ?? "an image without a digest"}, not {expected}; it will not be finalized");
        }

        return staged;
    }

    /// <summary>Drops the staged deployment, if there is one (<c>Cleanup(["pending-deploy"])</c>).</summary>
    public async Task CleanupAsync(CancellationToken cancellationToken)
    {
        var (staged, osPath) = await status.ReadStagedAsync().ConfigureAwait(false);
        if (staged is null)
        {
            return;
        }

        var address = await transactions.StartAsync(() => bus.CleanupAsync(osPath, ["pending-deploy"]), cancellationToken).ConfigureAwait(false);
        var outcome = await transactions.RunAsync(address, "Cleanup", progress: null, cancellationToken).ConfigureAwait(false);
        if (outcome.End is TransactionEnd.Failed or TransactionEnd.TimedOut)
        {
            throw new HostException(HostErrorKind.Failed, outcome.Message);
        }
    }

    private static bool IsWanted(HostDeployment? staged, OstreeRefspec refspec, Digest? expectedDigest) =>
        staged is not null && (expectedDigest is { } digest
            ? TargetMatch.IsSatisfiedBy(refspec.Image?.WithDigest(digest) ?? throw new ArgumentException($"{refspec} names no registry image", nameof(refspec)), staged)
            : staged.ContainerImageReference == refspec.ToString());

    /// <summary>Reads the stage after a transaction; when rpm-ostreed went away, says so rather than "not reachable".</summary>
    private async Task<HostDeployment?> ReadAfterAsync(TransactionOutcome outcome, OstreeRefspec refspec)
    {
        try
        {
            return (await status.ReadStagedAsync().ConfigureAwait(false)).Staged;
        }
        catch (HostException e) when (outcome.End == TransactionEnd.Vanished)
        {
            throw new HostException(HostErrorKind.Unavailable, $"rpm-ostreed went away during the pull of {refspec}: {e.Message}", e);
        }
    }

    private void InstallCredentials()
    {
        try
        {
            if (auth?.Install() == AuthFileResult.Installed)
            {
                RpmOstreeLog.AuthInstalled(logger, AuthFileInstaller.RpmOstreeAuthPath);
            }
        }
        catch (HostException e)
        {
            RpmOstreeLog.AuthRejected(logger, e.Message);
            throw;
        }
    }
}
