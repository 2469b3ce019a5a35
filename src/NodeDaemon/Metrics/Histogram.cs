namespace NodeDaemon.Metrics;

/// <summary>A Prometheus histogram: counts per upper bound, a sum and a count; written with cumulative buckets.</summary>
/// <remarks>Not thread-safe: <see cref="AgentMetrics"/> holds its lock around every call.</remarks>
internal sealed class Histogram
{
    private readonly double[] _bounds;
    private readonly long[] _counts;
    private double _sum;
    private long _count;

    /// <summary>A histogram with the increasing finite <paramref name="upperBounds"/>; <c>+Inf</c> is implied.</summary>
    public Histogram(params double[] upperBounds)
    {
        for (var i = 1; i < upperBounds.Length; i++)
        {
            if (!(upperBounds[i] > upperBounds[i - 1]))
            {
                throw new ArgumentException("bucket bounds must increase", nameof(upperBounds));
            }
        }

        _bounds = upperBounds;
        _counts = new long[upperBounds.Length];
    }

    /// <summary>Counts <paramref name="value"/> in the first bucket whose bound is at least it (<c>le</c> is inclusive).</summary>
    public void Observe(double value)
    {
        var bucket = Array.FindIndex(_bounds, bound => value <= bound);
        if (bucket >= 0)
        {
            _counts[bucket]++;
        }

        _sum += value;
        _count++;
    }

    /// <summary>Writes the family <paramref name="name"/>: cumulative <c>_bucket</c> lines, <c>+Inf</c>, <c>_sum</c>, <c>_count</c>.</summary>
    public void Write(PrometheusTextWriter writer, string name, string help)
    {
        writer.Family(name, "histogram", help);
        long cumulative = 0;
        for (var i = 0; i < _bounds.Length; i++)
        {
            cumulative += _counts[i];
            writer.Sample(name + "_bucket", cumulative, ("le", PrometheusTextWriter.Number(_bounds[i])));
        }

        writer.Sample(name + "_bucket", _count, ("le", "+Inf"));
        writer.Sample(name + "_sum", _sum);
        writer.Sample(name + "_count", _count);
    }
}
