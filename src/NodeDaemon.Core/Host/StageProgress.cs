namespace NodeDaemon.Core.Host;

/// <summary>One progress report of a pull: text, and layer and byte counts when the host gives them.</summary>
/// <param name="Text">The host's latest line (a task, a message or a percentage).</param>
/// <param name="LayersDone">Layers fetched so far, when known.</param>
/// <param name="LayersTotal">Layers to fetch, when known.</param>
/// <param name="BytesDone">Bytes fetched so far, when known.</param>
/// <param name="BytesTotal">Bytes to fetch, when known.</param>
public sealed record StageProgress(string Text, int? LayersDone = null, int? LayersTotal = null, long? BytesDone = null, long? BytesTotal = null)
{
    /// <summary>The line for the node's <c>message</c>, e.g. <c>pulling 3/7 layers, 412 MB/1.2 GB</c>.</summary>
    public string Describe()
    {
        if (LayersTotal is not { } total || total == 0)
        {
            return Text;
        }

        var bytes = BytesTotal is { } all && all > 0 ? $", {Size(BytesDone ?? 0)}/{Size(all)}" : "";
        return $"pulling {LayersDone ?? 0}/{total} layers{bytes}";
    }

    private static string Size(long bytes) => bytes switch
    {
        >= 1_000_000_000 => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{bytes / 1e9:0.0} GB"),
        >= 1_000_000 => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{bytes / 1_000_000} MB"),
        >= 1_000 => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{bytes / 1_000} kB"),
        _ => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{bytes} B"),
    };
}
