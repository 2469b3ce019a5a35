using System.Security.Cryptography;
using System.Text;
using NodeDaemon.Core.Host;
using NodeDaemon.Core.Images;

namespace NodeDaemon.Sim.Fleet;

/// <summary>One node's rpm-ostree host in memory: booted, staged (locked) and rollback deployments; thread-safe.</summary>
/// <remarks>
/// Stage and finalize follow rpm-ostreed's rules as the D-Bus simulator does (a locked stage, finalization checks the
/// stage, a successful finalization asks for a reboot), but with no bus: the fleet runs hundreds of these in one
/// process. The reboot itself is the <see cref="FleetAgent"/>'s job; <see cref="Boot"/> is what happens to the
/// deployments when the machine comes up again.
/// </remarks>
public sealed class SimulatedHost : IHostSystem
{
    private const string OsName = "fedora-coreos";
    private readonly object _gate = new();
    private readonly TimeSpan _stageDelay;
    private readonly Action _rebootRequested;
    private readonly PullGauge? _pulls;
    private HostDeployment _booted;
    private HostDeployment? _staged;
    private HostDeployment? _rollback;
    private bool _stagedLocked;
    private bool _rebootPending;
    private bool _rollbackQueued;
    private int _serial;

    /// <summary>A host booted on <paramref name="bootedPullspec"/> (a digest pullspec) whose pulls take <paramref name="stageDelay"/> each,
    /// counted in <paramref name="pulls"/> while they run.</summary>
    public SimulatedHost(string bootedPullspec, TimeSpan stageDelay, Action rebootRequested, PullGauge? pulls = null)
    {
        _pulls = pulls;
        ArgumentNullException.ThrowIfNull(bootedPullspec);
        _stageDelay = stageDelay;
        _rebootRequested = rebootRequested;
        _booted = Deployment(OstreeRefspec.Parse("ostree-unverified-registry:" + bootedPullspec), Digest.Parse(bootedPullspec[(bootedPullspec.IndexOf('@', StringComparison.Ordinal) + 1)..])) with { Booted = true };
    }

    /// <summary>Successful stages.</summary>
    public int Stages { get; private set; }

    /// <summary>Successful finalizations (each one a reboot request).</summary>
    public int Finalizations { get; private set; }

    /// <summary>The digest booted now.</summary>
    public Digest? BootedDigest
    {
        get
        {
            lock (_gate)
            {
                return _booted.ImageDigest;
            }
        }
    }

    /// <inheritdoc />
    public Task<HostStatus> ReadStatusAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(new HostStatus(_booted, _staged, _rollbackQueued ? null : _rollback, null, []) { Default = _rollbackQueued ? _rollback : null });
        }
    }

    /// <inheritdoc />
    public async Task<HostDeployment> StageAsync(OstreeRefspec refspec, Digest? expectedDigest, IProgress<StageProgress>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(refspec);
        // The fleet annotates digest pullspecs only; a tag has nothing to resolve against here.
        var digest = expectedDigest ?? throw new HostException("nodedaemon-sim fleet: the simulated host pulls digest pullspecs only");
        const int layers = 5;
        const long bytes = 900_000_000;
        _pulls?.Begin();
        try
        {
            for (var layer = 1; layer <= layers; layer++)
            {
                // Cancelled like a transaction: the wait ends and nothing is staged.
                await Task.Delay(_stageDelay / layers, cancellationToken).ConfigureAwait(false);
                progress?.Report(new StageProgress("Fetching layers", layer, layers, bytes * layer / layers, bytes));
            }
        }
        finally
        {
            _pulls?.End();
        }

        lock (_gate)
        {
            // rpm-ostree compares with the merge deployment: the stage if any, else the booted one.
            if ((_staged ?? _booted).ContainerImageReference == refspec.ToString())
            {
                throw new HostException($"Old and new refs are equal: {refspec}");
            }

            _staged = Deployment(refspec, digest) with { Staged = true };
            _stagedLocked = true;
            Stages++;
            return _staged;
        }
    }

    /// <inheritdoc />
    public Task FinalizeAsync(Digest digest, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            // rpm-ostree's checks, in its order (see docs/simulator.md, FinalizeDeployment).
            if (_staged is not { } staged)
            {
                throw new HostException("No pending staged deployment found");
            }

            if (staged.ImageDigest != digest)
            {
                throw new HostException($"Expected staged base checksum {digest}, but found {staged.ImageDigest}");
            }

            if (!_stagedLocked)
            {
                throw new HostException("Staged deployment already unlocked");
            }

            _stagedLocked = false;
            Finalizations++;
            if (_rebootPending)
            {
                return Task.CompletedTask;
            }

            _rebootPending = true;
        }

        _rebootRequested();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task CleanupStagedAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            (_staged, _stagedLocked) = (null, false);
            return Task.CompletedTask;
        }
    }

    /// <summary>Successful rollbacks (each one a reboot request).</summary>
    public int Rollbacks { get; private set; }

    /// <inheritdoc />
    /// <remarks>rpm-ostree's Rollback moves the rollback deployment on top; asked again once queued, only the reboot is asked.</remarks>
    public Task RollbackAsync(string previousChecksum, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            // rpmostreed-transaction-types.cxx rollback_transaction_execute (v2026.2): a stage refuses it, and so does a
            // host with no rollback deployment.
            if (_staged is not null)
            {
                throw new HostException("Staged deployment (remove with cleanup -p)");
            }

            if (_rollback is null)
            {
                throw new HostException("No rollback deployment found");
            }

            if (_rollback.Checksum != previousChecksum)
            {
                throw new HostException($"the previous deployment (commit {previousChecksum}) is not the rollback deployment any more");
            }

            if (!_rollbackQueued)
            {
                (_rollbackQueued, Rollbacks) = (true, Rollbacks + 1);
            }

            if (_rebootPending)
            {
                return Task.CompletedTask;
            }

            _rebootPending = true;
        }

        _rebootRequested();
        return Task.CompletedTask;
    }

    /// <summary>The machine comes up again: an unlocked stage becomes booted unless <paramref name="loseStage"/> (ostree-finalize-staged failed); a locked one is dropped.</summary>
    /// <returns>Whether the stage was applied.</returns>
    public bool Boot(bool loseStage)
    {
        lock (_gate)
        {
            if (_rollbackQueued && _rollback is { } previous)
            {
                // The rollback queued: the previous deployment boots, and the one left becomes the rollback deployment.
                (_rollback, _booted, _rollbackQueued, _rebootPending) = (_booted with { Booted = false }, previous with { Booted = true }, false, false);
                return false;
            }

            var applied = _staged is { } staged && !_stagedLocked && !loseStage;
            if (applied)
            {
                _rollback = _booted with { Booted = false };
                _booted = _staged! with { Staged = false, Booted = true };
            }

            (_staged, _stagedLocked, _rebootPending) = (null, false, false);
            return applied;
        }
    }

    private HostDeployment Deployment(OstreeRefspec refspec, Digest digest)
    {
        // The ostree commit is not the image digest; like the D-Bus simulator, derive one from it deterministically.
        var checksum = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(digest.ToString())));
        var serial = Interlocked.Increment(ref _serial) - 1;
        return new HostDeployment(refspec.ToString(), digest, checksum)
        {
            Id = $"{OsName}-{checksum}.{serial}",
            OsName = OsName,
            Version = "43.20261120.3.0",
            Timestamp = DateTimeOffset.UnixEpoch.AddSeconds(1_764_000_000),
        };
    }
}
