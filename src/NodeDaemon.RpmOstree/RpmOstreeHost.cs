using Microsoft.Extensions.Logging;
using NodeDaemon.Core.Host;
using NodeDaemon.Core.Images;

namespace NodeDaemon.RpmOstree;

/// <summary>The host seam over rpm-ostreed's D-Bus API: status, a locked stage, finalization, cleanup.</summary>
/// <remarks>Each operation is one registration as rpm-ostreed's client (<see cref="RpmOstreeRegistration"/>), over one
/// status read (<see cref="RpmOstreeStatusReader"/>) and the transactions it starts (<see cref="RpmOstreeTransactions"/>):
/// the stage and cleanup (<see cref="RpmOstreeStager"/>) and finalization (<see cref="RpmOstreeFinalizer"/>).</remarks>
public sealed class RpmOstreeHost : IHostSystem, IDisposable
{
    private readonly RpmOstreeBus _bus;
    private readonly RpmOstreeRegistration _registration;
    private readonly RpmOstreeStatusReader _status;
    private readonly RpmOstreeStager _stager;
    private readonly RpmOstreeFinalizer _finalizer;
    private readonly RpmOstreeRollback _rollback;

    /// <summary>Creates the client; nothing connects before the first call.</summary>
    public RpmOstreeHost(RpmOstreeHostOptions options, AuthFileInstaller? auth, IRebooter rebooter, TimeProvider time,
        ILogger<RpmOstreeHost> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _bus = new RpmOstreeBus(options.BusAddress);
        _registration = new RpmOstreeRegistration(_bus, options.ClientId, time, logger);
        _status = new RpmOstreeStatusReader(_bus, _registration, options.BusAddress, time, logger);
        var transactions = new RpmOstreeTransactions(_bus, _registration, options, time, logger);
        _stager = new RpmOstreeStager(_bus, _status, transactions, auth, options.ClientId, logger);
        _finalizer = new RpmOstreeFinalizer(_bus, _status, transactions, rebooter, logger);
        _rollback = new RpmOstreeRollback(_bus, _status, transactions, rebooter, logger);
    }

    /// <inheritdoc />
    public Task<HostStatus> ReadStatusAsync(CancellationToken cancellationToken) =>
        _registration.ForOneOperationAsync(async () => (await _status.ReadAsync().ConfigureAwait(false)).Status);

    /// <inheritdoc />
    public Task<HostDeployment> StageAsync(OstreeRefspec refspec, Digest? expectedDigest, IProgress<StageProgress>? progress,
        CancellationToken cancellationToken) =>
        _registration.ForOneOperationAsync(() => _stager.StageAsync(refspec, expectedDigest, progress, cancellationToken));

    /// <inheritdoc />
    public Task CleanupStagedAsync(CancellationToken cancellationToken) =>
        _registration.ForOneOperationAsync(async () =>
        {
            await _stager.CleanupAsync(cancellationToken).ConfigureAwait(false);
            return true;
        });

    /// <inheritdoc />
    /// <remarks>By the image digest, and once more by the stage's commit when an older rpm-ostree names it (see <see cref="RpmOstreeFinalizer"/>).</remarks>
    public Task FinalizeAsync(Digest digest, CancellationToken cancellationToken) =>
        _registration.ForOneOperationAsync(async () =>
        {
            await _finalizer.FinalizeAsync(digest, cancellationToken).ConfigureAwait(false);
            return true;
        });

    /// <inheritdoc />
    /// <remarks>rpm-ostree's <c>Rollback</c> without <c>reboot</c>, then logind (see <see cref="RpmOstreeRollback"/>).</remarks>
    public Task RollbackAsync(string previousChecksum, CancellationToken cancellationToken) =>
        _registration.ForOneOperationAsync(async () =>
        {
            await _rollback.RollbackAsync(previousChecksum, cancellationToken).ConfigureAwait(false);
            return true;
        });

    /// <inheritdoc />
    public void Dispose() => _bus.Dispose();
}
