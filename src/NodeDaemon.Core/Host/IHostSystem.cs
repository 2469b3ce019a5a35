using NodeDaemon.Core.Images;

namespace NodeDaemon.Core.Host;

/// <summary>The host seam: read the deployments, stage an image locked, finalize it, drop a stage.</summary>
/// <remarks>Implemented over rpm-ostreed's D-Bus API (and bootc's CLI). Every failure surfaces as a
/// <see cref="HostException"/> whose message is the host's own, kept verbatim for the node's <c>reason</c>.</remarks>
public interface IHostSystem
{
    /// <summary>Reads the booted, staged and rollback deployments and any transaction in progress.</summary>
    Task<HostStatus> ReadStatusAsync(CancellationToken cancellationToken);

    /// <summary>Pulls and stages <paramref name="refspec"/> with finalization locked; returns the staged deployment.</summary>
    /// <param name="refspec">What to rebase to.</param>
    /// <param name="expectedDigest">The digest the staged deployment must have; null accepts what a tag resolves to.</param>
    /// <param name="progress">Receives progress while the image is pulled.</param>
    /// <param name="cancellationToken">Cancels the wait; a started transaction is cancelled too.</param>
    Task<HostDeployment> StageAsync(OstreeRefspec refspec, Digest? expectedDigest, IProgress<StageProgress>? progress,
        CancellationToken cancellationToken);

    /// <summary>Unlocks the staged deployment, after checking it is the image of <paramref name="digest"/>, and reboots into it.</summary>
    Task FinalizeAsync(Digest digest, CancellationToken cancellationToken);

    /// <summary>Drops the staged deployment, if any.</summary>
    Task CleanupStagedAsync(CancellationToken cancellationToken);

    /// <summary>Makes the deployment of commit <paramref name="previousChecksum"/> (the host's rollback deployment) boot next,
    /// unless it already does, and reboots into it through logind: never the host's own reboot, never a soft reboot.</summary>
    /// <remarks>Idempotent, since asking the host twice would undo it (rpm-ostree and bootc both put the booted deployment back
    /// on top when the rollback is already queued): a request asked again after a restart only reboots.</remarks>
    Task RollbackAsync(string previousChecksum, CancellationToken cancellationToken);
}
