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
}
