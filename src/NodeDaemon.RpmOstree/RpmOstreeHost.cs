using Microsoft.Extensions.Logging;
using NodeDaemon.Core.Host;
using NodeDaemon.Core.Images;
using Tmds.DBus.Protocol;

namespace NodeDaemon.RpmOstree;

/// <summary>The host seam over rpm-ostreed's D-Bus API: status, a locked stage, finalization, cleanup.</summary>
public sealed partial class RpmOstreeHost : IHostSystem, IDisposable
{
    /// <summary>The longest one D-Bus method call to rpm-ostreed may take (transactions have their own timeout).</summary>
    private static readonly TimeSpan s_callTimeout = TimeSpan.FromSeconds(60);
    private readonly RpmOstreeBus _bus;
    private readonly RpmOstreeHostOptions _options;
    private readonly AuthFileInstaller? _auth;
    private readonly IRebooter _rebooter;
    private readonly TimeProvider _time;
    private readonly ILogger<RpmOstreeHost> _logger;

    /// <summary>Creates the client; nothing connects before the first call.</summary>
    public RpmOstreeHost(RpmOstreeHostOptions options, AuthFileInstaller? auth, IRebooter rebooter, TimeProvider time,
        ILogger<RpmOstreeHost> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _bus = new RpmOstreeBus(options.BusAddress);
        _auth = auth;
        _rebooter = rebooter;
        _time = time;
        _logger = logger;
    }

    /// <inheritdoc />
    public Task<HostStatus> ReadStatusAsync(CancellationToken cancellationToken) =>
        AsClientAsync(async () => (await ReadAsync().ConfigureAwait(false)).Status);

    /// <inheritdoc />
    public Task<HostDeployment> StageAsync(OstreeRefspec refspec, Digest? expectedDigest, IProgress<StageProgress>? progress,
        CancellationToken cancellationToken) =>
        AsClientAsync(() => StageOnceAsync(refspec, expectedDigest, progress, cancellationToken));

    /// <inheritdoc />
    public Task CleanupStagedAsync(CancellationToken cancellationToken) =>
        AsClientAsync(async () =>
        {
            await CleanupAsync(cancellationToken).ConfigureAwait(false);
            return true;
        });

    private async Task<HostDeployment> StageOnceAsync(OstreeRefspec refspec, Digest? expectedDigest, IProgress<StageProgress>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(refspec);
        var (before, osPath) = await ReadAsync().ConfigureAwait(false);
        if (IsWanted(before.Staged, refspec, expectedDigest))
        {
            // Rebasing again would only fail with "Old and new refs are equal"; the stage is there.
            return before.Staged!;
        }

        if (before.Staged?.ContainerImageReference == refspec.ToString())
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
            ["initiating-command-line"] = $"{_options.ClientId} stage {refspec}",
        };
        var address = await WhenNotBusyAsync(() => _bus.RebaseAsync(osPath, options, refspec.ToString()), cancellationToken)
            .ConfigureAwait(false);
        var outcome = await RunAsync(address, "Rebase", progress, cancellationToken).ConfigureAwait(false);
        var staged = (await ReadAfterAsync(outcome, refspec).ConfigureAwait(false)).Staged;
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

    private async Task CleanupAsync(CancellationToken cancellationToken)
    {
        var (status, osPath) = await ReadAsync().ConfigureAwait(false);
        if (status.Staged is null)
        {
            return;
        }

        var address = await WhenNotBusyAsync(() => _bus.CleanupAsync(osPath, ["pending-deploy"]), cancellationToken).ConfigureAwait(false);
        var outcome = await RunAsync(address, "Cleanup", progress: null, cancellationToken).ConfigureAwait(false);
        if (outcome.End is TransactionEnd.Failed or TransactionEnd.TimedOut)
        {
            throw new HostException(HostErrorKind.Failed, outcome.Message);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _bus.Dispose();

    private static bool IsWanted(HostDeployment? staged, OstreeRefspec refspec, Digest? expectedDigest) =>
        staged is not null && (expectedDigest is { } digest
            ? TargetMatch.IsSatisfiedBy(refspec.Image?.WithDigest(digest) ?? throw new ArgumentException($"{refspec} names no registry image", nameof(refspec)), staged)
            : staged.ContainerImageReference == refspec.ToString());

    private async Task<(HostStatus Status, string OsPath)> ReadAsync()
    {
        try
        {
            return await ReadOnceAsync().WaitAsync(s_callTimeout, _time).ConfigureAwait(false);
        }
        catch (TimeoutException e)
        {
            // A method call has no timeout of its own on D-Bus: a wedged rpm-ostreed would hold the agent forever.
            throw new HostException(HostErrorKind.Unavailable, $"rpm-ostreed did not answer within {s_callTimeout}", e);
        }
    }

    private async Task<(HostStatus Status, string OsPath)> ReadOnceAsync()
    {
        try
        {
            if (!_lettingGo)
            {
                await _bus.RegisterClientAsync(_options.ClientId).ConfigureAwait(false);
            }

            var osPath = await _bus.GetBootedOsPathAsync().ConfigureAwait(false);
            var warnings = new List<string>();
            var deployments = (await _bus.GetDeploymentsAsync().ConfigureAwait(false))
                .Select(d => DeploymentMapper.Map(d, warnings))
                .OfType<HostDeployment>()
                .ToList();
            var rollback = DeploymentMapper.Map(await _bus.GetOsDeploymentAsync(osPath, "RollbackDeployment").ConfigureAwait(false), warnings);
            var (method, _, _) = await _bus.GetActiveTransactionAsync().ConfigureAwait(false);
            var (booted, staged) = DeploymentChoice.Pick(deployments, warnings);
            foreach (var warning in warnings)
            {
                LogStatusWarning(warning);
            }

            var status = new HostStatus(booted ?? throw new HostException("rpm-ostreed lists no booted deployment"), staged, rollback,
                method.Length == 0 ? null : method, warnings);
            return (status, osPath);
        }
        catch (DBusExceptionBase e)
        {
            throw new HostException(HostErrorKind.Unavailable, $"rpm-ostreed is not reachable on {_options.BusAddress}: {e.Message}", e);
        }
    }

    /// <summary>Reads the deployments after a transaction; when rpm-ostreed went away, says so rather than "not reachable".</summary>
    private async Task<HostStatus> ReadAfterAsync(TransactionOutcome outcome, OstreeRefspec refspec)
    {
        try
        {
            return (await ReadAsync().ConfigureAwait(false)).Status;
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
            if (_auth?.Install() == AuthFileResult.Installed)
            {
                LogAuthInstalled(AuthFileInstaller.RpmOstreeAuthPath);
            }
        }
        catch (HostException e)
        {
            LogAuthRejected(e.Message);
            throw;
        }
    }

    /// <summary>Calls <paramref name="call"/>; while another client's transaction runs, waits for it (bounded) and retries.</summary>
    private async Task<string> WhenNotBusyAsync(Func<Task<string>> call, CancellationToken cancellationToken)
    {
        var deadline = _time.GetUtcNow() + _options.Staging.BusyWait;
        while (true)
        {
            try
            {
                var address = await call().WaitAsync(s_callTimeout, _time, cancellationToken).ConfigureAwait(false);
                _lettingGo = false;
                return address;
            }
            catch (TimeoutException e)
            {
                throw new HostException(HostErrorKind.Unavailable, $"rpm-ostreed did not answer within {s_callTimeout}", e);
            }
            catch (DBusErrorReplyException e) when (e.ErrorName == RpmOstreeNames.BusyError)
            {
                if (_time.GetUtcNow() >= deadline)
                {
                    throw new HostException(HostErrorKind.Busy, $"rpm-ostree stayed busy for {_options.Staging.BusyWait}: {e.ErrorMessage}", e);
                }

                LogBusy(e.ErrorMessage);
                await Task.Delay(_options.BusyPollInterval, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (DBusErrorReplyException e) when (e.ErrorMessage.Contains(RebootInitiated, StringComparison.Ordinal))
            {
                await LetGoAsync(e.ErrorMessage).ConfigureAwait(false);
                throw new HostException(HostErrorKind.Failed,
                    $"{e.ErrorMessage}: rpm-ostreed asked for a reboot that did not happen and takes no transaction until it exits idle", e);
            }
            catch (DBusErrorReplyException e)
            {
                throw new HostException(HostErrorKind.Failed, e.ErrorMessage, e);
            }
        }
    }

    private async Task<TransactionOutcome> RunAsync(string address, string method, IProgress<StageProgress>? progress,
        CancellationToken cancellationToken)
    {
        LogTransactionStarted(method, address);
        var outcome = await TransactionRunner.RunAsync(address, progress, _options.Staging.TransactionTimeout, _time, cancellationToken)
            .ConfigureAwait(false);
        switch (outcome.End)
        {
            case TransactionEnd.Vanished:
                LogVanished(method);
                break;
            case TransactionEnd.TimedOut:
                LogTimedOut(method, _options.Staging.TransactionTimeout.TotalSeconds);
                break;
            default:
                LogTransactionFinished(method, outcome.End == TransactionEnd.Succeeded, outcome.Message);
                break;
        }

        try
        {
            await _bus.ReloadAsync().ConfigureAwait(false);
        }
        catch (DBusExceptionBase)
        {
            // A restarted rpm-ostreed has read the sysroot afresh anyway.
        }

        return outcome;
    }
}
