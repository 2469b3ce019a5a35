using NodeDaemon.Core.Host;

namespace NodeDaemon.RpmOstree.Bootc;

/// <summary>What <c>bootc status</c> says: the deployments, and the download-only state bootc keeps beside them.</summary>
/// <param name="Host">The deployments in the seam's terms.</param>
/// <param name="StagedDownloadOnly">The staged entry's <c>downloadOnly</c>; null when nothing is staged or bootc predates the field.</param>
/// <param name="DownloadOnlySupported">The document carries <c>downloadOnly</c>, so this bootc has <c>upgrade --download-only</c>.</param>
internal sealed record BootcStatus(HostStatus Host, bool? StagedDownloadOnly, bool DownloadOnlySupported);
