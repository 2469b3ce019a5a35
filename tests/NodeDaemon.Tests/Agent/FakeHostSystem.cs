using NodeDaemon.Core.Host;
using NodeDaemon.Core.Images;

namespace NodeDaemon.Tests.Agent;

/// <summary>A hand-written host seam: booted and staged deployments in memory, reboots counted and applied on demand.</summary>
internal sealed class FakeHostSystem : IHostSystem
{
    public HostDeployment Booted { get; set; } = Deployment("sha256:" + new string('1', 64));
    public HostDeployment? Staged { get; set; }
    public int Stages { get; private set; }
    public int Finalizations { get; private set; }
    public string? FailNextStage { get; set; }

    /// <summary>Runs inside each stage, e.g. to let a fake clock pass while the image "pulls".</summary>
    public Action? WhileStaging { get; set; }

    public static HostDeployment Deployment(string digest) =>
        new($"ostree-unverified-registry:quay.io/example/os@{digest}", Digest.Parse(digest), "c0" + digest[7..20]);

    /// <summary>Status reads so far.</summary>
    public int StatusReads { get; private set; }

    /// <summary>The next this many status reads throw <see cref="StatusFailure"/> (rpm-ostreed gone, retries spent).</summary>
    public int FailStatusReads { get; set; }

    /// <summary>What a failing status read throws.</summary>
    public Exception StatusFailure { get; set; } = new HostException("rpm-ostreed did not answer");

    public Task<HostStatus> ReadStatusAsync(CancellationToken cancellationToken)
    {
        StatusReads++;
        if (FailStatusReads > 0)
        {
            FailStatusReads--;
            throw StatusFailure;
        }

        return Task.FromResult(new HostStatus(Booted, Staged, RollbackQueued ? null : Previous, null, []) { Default = RollbackQueued ? Previous : null });
    }

    public Task<HostDeployment> StageAsync(OstreeRefspec refspec, Digest? expectedDigest, IProgress<StageProgress>? progress,
        CancellationToken cancellationToken)
    {
        Stages++;
        WhileStaging?.Invoke();
        if (FailNextStage is { } message)
        {
            FailNextStage = null;
            throw new HostException(message);
        }

        progress?.Report(new StageProgress("Fetching", 3, 7, 412_000_000, 1_200_000_000));
        Staged = Deployment(expectedDigest!.Value.ToString());
        return Task.FromResult(Staged);
    }

    /// <summary>When set, the next finalization fails with it (counted as asked) and it is cleared.</summary>
    public HostException? FailNextFinalize { get; set; }

    public Task FinalizeAsync(Digest digest, CancellationToken cancellationToken)
    {
        Assert.Equal(digest, Staged?.ImageDigest);
        Finalizations++;
        if (FailNextFinalize is { } failure)
        {
            FailNextFinalize = null;
            return Task.FromException(failure);
        }

        return Task.CompletedTask;
    }

    public Task CleanupStagedAsync(CancellationToken cancellationToken)
    {
        Staged = null;
        return Task.CompletedTask;
    }

    /// <summary>The rollback deployment (the previous one); null when none.</summary>
    public HostDeployment? Previous { get; set; }

    /// <summary>A rollback was asked and the previous deployment boots next.</summary>
    public bool RollbackQueued { get; private set; }

    /// <summary>Rollbacks asked for (each one a reboot request).</summary>
    public int Rollbacks { get; private set; }

    public Task RollbackAsync(string previousChecksum, CancellationToken cancellationToken)
    {
        Assert.Equal(previousChecksum, Previous?.Checksum);
        Rollbacks++;
        RollbackQueued = true;
        return Task.CompletedTask;
    }

    /// <summary>The machine reboots: the staged deployment is applied, or with <paramref name="loseStage"/> lost (finalization
    /// failed); a queued rollback boots the previous deployment instead.</summary>
    public void Reboot(bool loseStage = false)
    {
        if (RollbackQueued && Previous is { } previous)
        {
            (Previous, Booted, RollbackQueued) = (Booted, previous, false);
            return;
        }

        var before = Booted;
        Booted = loseStage ? Booted : Staged ?? Booted;
        Previous = Booted == before ? Previous : before;
        Staged = null;
    }
}
