using NodeDaemon.Core.Host;

namespace NodeDaemon.RpmOstree.Tests;

/// <summary>Keeps every progress report, synchronously (Progress&lt;T&gt; would post them later).</summary>
internal sealed class RecordingProgress : IProgress<StageProgress>
{
    private readonly List<StageProgress> _reports = [];

    public IReadOnlyList<StageProgress> Reports
    {
        get
        {
            lock (_reports)
            {
                return [.. _reports];
            }
        }
    }

    public void Report(StageProgress value)
    {
        lock (_reports)
        {
            _reports.Add(value);
        }
    }
}
