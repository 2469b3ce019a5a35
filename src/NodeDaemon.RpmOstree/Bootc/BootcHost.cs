using Microsoft.Extensions.Logging;
using NodeDaemon.Core.Host;
using NodeDaemon.Core.Images;

namespace NodeDaemon.RpmOstree.Bootc;

/// <summary>The host seam over the <c>bootc</c> command line, for image-mode hosts without rpm-ostreed.</summary>
/// <remarks>
/// bootc has no D-Bus API and no finalization lock on <c>switch</c>. Where bootc has <c>upgrade --download-only</c>
/// (its status then carries <c>downloadOnly</c>), the switched-to stage is turned into a download-only one right
/// after the switch, so an unplanned reboot does not apply it; on older bootc the stage stays unlocked and a
/// warning says so. Dropping a staged deployment has no bootc command, so <see cref="CleanupStagedAsync"/> refuses.
/// </remarks>
public sealed partial class BootcHost : IHostSystem
{
    private readonly BootcCli _cli;
    private readonly AuthFileInstaller? _auth;
    private readonly IRebooter _rebooter;
    private readonly ILogger<BootcHost> _logger;
    private bool _legacyJsonFlag;
    private bool _warnedUnlocked;

    /// <summary>Creates the backend; nothing runs before the first call.</summary>
    /// <param name="options">The executable, its environment and the per-command timeout.</param>
    /// <param name="auth">Installs registry credentials where bootc's image fetcher reads them; null for none.</param>
    /// <param name="rebooter">Reboots into a stage that is not download-only.</param>
    /// <param name="time">The clock of the per-command timeout.</param>
    /// <param name="logger">Where commands and warnings go.</param>
    public BootcHost(BootcHostOptions options, AuthFileInstaller? auth, IRebooter rebooter, TimeProvider time, ILogger<BootcHost> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _cli = new BootcCli(options, time);
        _auth = auth;
        _rebooter = rebooter;
        _logger = logger;
    }

    /// <inheritdoc />
    public async Task<HostStatus> ReadStatusAsync(CancellationToken cancellationToken) =>
        (await ReadAsync(cancellationToken).ConfigureAwait(false)).Host;

    /// <inheritdoc />
    public async Task<HostDeployment> StageAsync(OstreeRefspec refspec, Digest? expectedDigest, IProgress<StageProgress>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(refspec);
        var image = refspec.Image ?? throw new HostException(HostErrorKind.Failed,
            $"the bootc backend stages registry images only, not {refspec}");
        var before = await ReadAsync(cancellationToken).ConfigureAwait(false);
        if (!IsWanted(before.Host.Staged, image, expectedDigest))
        {
            // Credentials are written first because bootc's fetcher reads /run/ostree/auth.json as rpm-ostree's does.
            _auth?.Install();
            List<string> switchArguments = ["switch", "--transport", "registry"];
            if (refspec.Kind == OstreeRefspecKind.ImageSigned)
            {
                switchArguments.Add("--enforce-container-sigpolicy");
            }

            switchArguments.Add(image.ToString());
            await RunAsync(switchArguments, progress, cancellationToken).ConfigureAwait(false);
            before = await ReadAsync(cancellationToken).ConfigureAwait(false);
        }

        var after = await LockAsync(before, progress, cancellationToken).ConfigureAwait(false);
        var staged = after.Host.Staged
            ?? throw new HostException(HostErrorKind.Failed, $"bootc switch to {image} succeeded but nothing is staged");
        if (expectedDigest is { } expected && !IsWanted(staged, image, expected))
        {
            throw new HostException(HostErrorKind.DigestMismatch,
                $"the pull of {image} staged {staged.ImageDigest?.ToString() ?? "an image without a digest"}, not {expected}; it will not be finalized");
        }

        return staged;
    }

    /// <inheritdoc />
    public async Task FinalizeAsync(Digest digest, CancellationToken cancellationToken)
    {
        var status = await ReadAsync(cancellationToken).ConfigureAwait(false);
        if (status.Host.Staged?.ImageDigest != digest)
        {
            throw new HostException(HostErrorKind.Failed,
                $"no staged deployment of {digest} to finalize (staged: {status.Host.Staged?.ImageDigest?.ToString() ?? "none"})");
        }

        if (status.StagedDownloadOnly == true)
        {
            // --from-downloaded unlocks the stage without fetching again; --apply reboots into it.
            LogRebootRequested(digest.ToString(), "bootc upgrade --from-downloaded --apply");
            await RunAsync(["upgrade", "--from-downloaded", "--apply"], progress: null, cancellationToken).ConfigureAwait(false);
            return;
        }

        // Not locked: the stage is applied at any shutdown, so a plain reboot finalizes it.
        LogRebootRequested(digest.ToString(), "logind");
        await _rebooter.RebootAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>bootc has no command that drops a staged deployment without changing what boots next (<c>rollback</c>
    /// changes the default, a <c>switch</c> back stages another deployment), so a stage is refused, not hidden.</remarks>
    public async Task CleanupStagedAsync(CancellationToken cancellationToken)
    {
        var status = await ReadAsync(cancellationToken).ConfigureAwait(false);
        if (status.Host.Staged is { } staged)
        {
            throw new HostException(HostErrorKind.Failed,
                $"dropping a staged deployment is not supported by the bootc backend (staged: {staged.ContainerImageReference ?? staged.Checksum})");
        }
    }

    /// <inheritdoc />
    /// <remarks><c>bootc rollback</c> with neither <c>--apply</c> (bootc's own reboot) nor <c>--soft-reboot</c> (a userspace
    /// restart would keep the kernel of the image that failed the gate, and skip the bootloader's view of the boot): the reboot
    /// goes through logind, like an update's. bootc swaps the boot order on every call, so a rollback already queued
    /// (<c>rollbackQueued</c>) is not asked again. A stage is refused first: bootc writes the deployments without it (dropping
    /// it), where rpm-ostree refuses a rollback over a stage; the agent never has one here.</remarks>
    public async Task RollbackAsync(string previousChecksum, CancellationToken cancellationToken)
    {
        var status = await ReadAsync(cancellationToken).ConfigureAwait(false);
        if (status.Host.Default?.Checksum == previousChecksum)
        {
            LogRollbackAlreadyQueued(previousChecksum);
        }
        else if (status.Host.Rollback?.Checksum != previousChecksum)
        {
            throw new HostException(HostErrorKind.Failed,
                $"the previous deployment (commit {previousChecksum}) is not the rollback deployment any more (rollback: {status.Host.Rollback?.Checksum ?? "none"})");
        }
        else if (status.Host.Staged is { } staged)
        {
            throw new HostException(HostErrorKind.Failed,
                $"a staged deployment ({staged.ContainerImageReference ?? staged.Checksum}) is in the way of the rollback");
        }
        else
        {
            await RunAsync(["rollback"], progress: null, cancellationToken).ConfigureAwait(false);
        }

        LogRollbackRequested(previousChecksum, "bootc rollback");
        await _rebooter.RebootAsync(cancellationToken).ConfigureAwait(false);
    }

    private static bool IsWanted(HostDeployment? staged, ImageReference image, Digest? expectedDigest) =>
        staged is not null && (expectedDigest is { } digest ? TargetMatch.IsSatisfiedBy(image.WithDigest(digest), staged) : staged.Image == image);

    /// <summary>Makes the stage download-only where this bootc can; returns the status after.</summary>
    private async Task<BootcStatus> LockAsync(BootcStatus status, IProgress<StageProgress>? progress, CancellationToken cancellationToken)
    {
        if (status.StagedDownloadOnly == true || status.Host.Staged is null)
        {
            return status;
        }

        if (!status.DownloadOnlySupported)
        {
            if (!_warnedUnlocked)
            {
                _warnedUnlocked = true;
                LogStageNotLocked();
            }

            return status;
        }

        // The spec image is the one just switched to, so this re-stages the same digest, marked download-only.
        await RunAsync(["upgrade", "--download-only"], progress, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<BootcStatus> ReadAsync(CancellationToken cancellationToken)
    {
        string json;
        if (!_legacyJsonFlag)
        {
            string[] arguments = ["status", "--format", "json"];
            var result = await _cli.TryRunAsync(arguments, null, cancellationToken).ConfigureAwait(false);
            if (result.ExitCode == 0)
            {
                json = result.Stdout;
                return Parsed(json);
            }

            // bootc before v0.1.13 knows only --json; clap names the rejected flag on stderr.
            if (!result.Stderr.Contains("--format", StringComparison.Ordinal))
            {
                throw new HostException(HostErrorKind.Failed, BootcCli.ErrorText(arguments, result));
            }

            _legacyJsonFlag = true;
        }

        json = await _cli.RunAsync(["status", "--json"], null, cancellationToken).ConfigureAwait(false);
        return Parsed(json);
    }

    private BootcStatus Parsed(string json)
    {
        var status = BootcStatusParser.Parse(json);
        foreach (var warning in status.Host.Warnings)
        {
            LogStatusWarning(warning);
        }

        return status;
    }

    private async Task RunAsync(IReadOnlyList<string> arguments, IProgress<StageProgress>? progress, CancellationToken cancellationToken)
    {
        LogCommand(string.Join(' ', arguments));
        Action<string>? line = progress is null ? null : text => progress.Report(new StageProgress(text));
        await _cli.RunAsync(arguments, line, cancellationToken).ConfigureAwait(false);
    }
}
