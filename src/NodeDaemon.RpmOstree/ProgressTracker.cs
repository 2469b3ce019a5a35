using NodeDaemon.Core.Host;

namespace NodeDaemon.RpmOstree;

/// <summary>Folds the transaction's text and download signals into one current <see cref="StageProgress"/>.</summary>
internal sealed class ProgressTracker(IProgress<StageProgress>? progress)
{
    private StageProgress _current = new("starting");

    /// <summary>The latest state.</summary>
    public StageProgress Current => _current;

    /// <summary>A text signal (Message, TaskBegin, PercentProgress).</summary>
    public void Text(string text)
    {
        _current = _current with { Text = text };
        progress?.Report(_current);
    }

    /// <summary>A DownloadProgress signal.</summary>
    public void Download(DownloadCounts counts)
    {
        _current = _current with
        {
            LayersDone = (int)Math.Min(counts.Fetched, int.MaxValue),
            LayersTotal = (int)Math.Min(counts.Requested, int.MaxValue),
            BytesDone = (long)Math.Min(counts.BytesTransferred, long.MaxValue),
            BytesTotal = counts.BytesTotal > 0 ? (long)Math.Min(counts.BytesTotal, long.MaxValue) : null,
        };
        progress?.Report(_current);
    }
}
