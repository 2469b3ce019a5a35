namespace NodeDaemon.RpmOstree;

/// <summary>The parts of a <c>DownloadProgress</c> signal NodeDaemon reports: layers and bytes.</summary>
/// <param name="Fetched">content.fetched: layers (objects) fetched.</param>
/// <param name="Requested">content.requested: layers (objects) to fetch.</param>
/// <param name="BytesTransferred">transfer.bytes_transferred.</param>
/// <param name="BytesTotal">delta.total_part_size; 0 when unknown.</param>
internal sealed record DownloadCounts(uint Fetched, uint Requested, ulong BytesTransferred, ulong BytesTotal);
