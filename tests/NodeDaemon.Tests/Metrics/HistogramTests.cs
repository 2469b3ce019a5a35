using NodeDaemon.Metrics;

namespace NodeDaemon.Tests.Metrics;

/// <summary>The histogram's bucket arithmetic, without the parser.</summary>
public sealed class HistogramTests
{
    [Fact]
    public void A_value_on_a_bound_counts_in_that_bucket_and_every_later_one()
    {
        var histogram = new Histogram(1, 2, 5);
        histogram.Observe(2);
        histogram.Observe(0.5);
        histogram.Observe(9);
        var writer = new PrometheusTextWriter();

        histogram.Write(writer, "h_seconds", "A test histogram.");

        Assert.Equal(
            """
            # HELP h_seconds A test histogram.
            # TYPE h_seconds histogram
            h_seconds_bucket{le="1"} 1
            h_seconds_bucket{le="2"} 2
            h_seconds_bucket{le="5"} 2
            h_seconds_bucket{le="+Inf"} 3
            h_seconds_sum 11.5
            h_seconds_count 3

            """.ReplaceLineEndings("\n"),
            writer.ToString());
    }

    [Fact]
    public void Bounds_must_increase()
    {
        Assert.Throws<ArgumentException>(() => new Histogram(1, 1));
        Assert.Throws<ArgumentException>(() => new Histogram(5, 2));
    }
}
