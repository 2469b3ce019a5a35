using System.Globalization;
using System.Text.RegularExpressions;
using NodeDaemon.Core.Host;

namespace NodeDaemon.RpmOstree;

/// <summary>Folds the transaction's progress signals into one current <see cref="StageProgress"/>.</summary>
/// <remarks>
/// A container pull reports no byte counts: rpm-ostree (v2026.2 <c>rust/src/sysroot_upgrade.rs</c>) says how many
/// layers and bytes it needs in <c>Message</c>s (<c>ostree chunk layers needed: 7 (1.2 GB)</c>, the same for
/// <c>custom layers</c>), then opens one task per layer (<c>TaskBegin("[3/7] Fetching ostree chunk sha256:… (180.4 MB)")</c>)
/// and closes it with <c>TaskEnd("done")</c>. So layers and bytes done advance a whole layer at a time. A plain ostree
/// pull still sends <c>DownloadProgress</c>, which is taken as it comes.
/// </remarks>
internal sealed partial class ProgressTracker(IProgress<StageProgress>? progress)
{
    private StageProgress _current = new("starting");
    private long? _openLayerBytes;
    private int _openLayer;

    /// <summary>The latest state.</summary>
    public StageProgress Current => _current;

    /// <summary>A <c>Message</c> signal: counts the layers and bytes a container pull still needs.</summary>
    public void Message(string text)
    {
        var needed = LayersNeeded().Match(text);
        _current = needed.Success
            ? _current with
            {
                Text = text,
                LayersDone = _current.LayersDone ?? 0,
                LayersTotal = (_current.LayersTotal ?? 0) + int.Parse(needed.Groups["count"].Value, CultureInfo.InvariantCulture),
                BytesDone = _current.BytesDone ?? 0,
                BytesTotal = (_current.BytesTotal ?? 0) + (ParseSize(needed.Groups["size"].Value) ?? 0),
            }
            : _current with { Text = text };
        progress?.Report(_current);
    }

    /// <summary>A <c>TaskBegin</c> signal: a layer fetch (<c>[i/n] Fetching …</c>) starts, or some other task.</summary>
    public void TaskBegin(string text)
    {
        var layer = LayerStarted().Match(text);
        if (layer.Success)
        {
            _openLayer = int.Parse(layer.Groups["index"].Value, CultureInfo.InvariantCulture);
            _openLayerBytes = ParseSize(layer.Groups["size"].Value);
            _current = _current with
            {
                Text = text,
                LayersDone = _openLayer - 1,
                LayersTotal = int.Parse(layer.Groups["of"].Value, CultureInfo.InvariantCulture),
            };
        }
        else
        {
            _current = _current with { Text = text };
        }

        progress?.Report(_current);
    }

    /// <summary>A <c>TaskEnd</c> signal: the open layer, if any, is fetched.</summary>
    public void TaskEnd(string text)
    {
        if (_openLayer == 0)
        {
            return;
        }

        _current = _current with { LayersDone = _openLayer, BytesDone = (_current.BytesDone ?? 0) + (_openLayerBytes ?? 0) };
        _openLayer = 0;
        _openLayerBytes = null;
        progress?.Report(_current);
    }

    /// <summary>A <c>PercentProgress</c> signal, already rendered as text.</summary>
    public void Text(string text)
    {
        _current = _current with { Text = text };
        progress?.Report(_current);
    }

    /// <summary>A DownloadProgress signal (plain ostree pulls only).</summary>
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

    /// <summary>Reads GLib's <c>g_format_size</c> text (SI units: <c>512 bytes</c>, <c>180.4 MB</c>); null when it is not that.</summary>
    internal static long? ParseSize(string text)
    {
        var match = Size().Match(text);
        if (!match.Success || !double.TryParse(match.Groups["value"].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            return null;
        }

        var scale = match.Groups["unit"].Value switch
        {
            "kB" => 1e3,
            "MB" => 1e6,
            "GB" => 1e9,
            "TB" => 1e12,
            _ => 1,
        };
        return (long)Math.Min(value * scale, long.MaxValue);
    }

    [GeneratedRegex(@"^(ostree chunk|custom) layers needed: (?<count>\d{1,6}) \((?<size>[^)]*)\)$")]
    private static partial Regex LayersNeeded();

    [GeneratedRegex(@"^\[(?<index>\d{1,6})/(?<of>\d{1,6})\] Fetching (ostree chunk|layer) \S+ \((?<size>[^)]*)\)$")]
    private static partial Regex LayerStarted();

    [GeneratedRegex(@"^(?<value>\d{1,15}(\.\d{1,3})?) (?<unit>bytes?|kB|MB|GB|TB)$")]
    private static partial Regex Size();
}
