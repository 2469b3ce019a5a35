using Microsoft.Extensions.Time.Testing;
using NodeDaemon.Core.Agent;
using NodeDaemon.Metrics;
using NodeDaemon.Systemd;

namespace NodeDaemon.Tests.Metrics;

/// <summary>What <c>/metrics</c> sends, read back by the Prometheus project's own parser.</summary>
public sealed class PrometheusFormatTests
{
    private const string Digest = "sha256:2222222222222222222222222222222222222222222222222222222222222222";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));

    /// <summary>Metrics after one update: staged, drained, rebooted, verified, with a failure and some API traffic.</summary>
    private AgentMetrics Fed()
    {
        var heartbeat = new AgentHeartbeat(_time);
        var metrics = new AgentMetrics(heartbeat);
        metrics.Transitioned(AgentState.Starting, AgentState.Staging, AgentCondition.Working);
        metrics.StageCompleted(TimeSpan.FromSeconds(45));
        metrics.Failed(FailureKind.Stage);
        metrics.Transitioned(AgentState.Staging, AgentState.Draining, AgentCondition.Working);
        metrics.DrainCompleted(TimeSpan.FromSeconds(5));
        metrics.DrainCompleted(TimeSpan.FromSeconds(700));
        metrics.Transitioned(AgentState.Draining, AgentState.Rebooting, AgentCondition.Working);
        metrics.RebootCompleted(TimeSpan.FromSeconds(5000));
        metrics.Transitioned(AgentState.Rebooting, AgentState.Verifying, AgentCondition.Working);
        metrics.Transitioned(AgentState.Verifying, AgentState.Idle, AgentCondition.Done);
        metrics.Booted("quay.io/example/os", Digest);
        metrics.Completed("GET", 200);
        metrics.Completed("GET", 200);
        metrics.Completed("PATCH", 409);
        metrics.Completed("WATCH", null);
        _time.Advance(TimeSpan.FromSeconds(12.5));
        return metrics;
    }

    [Fact]
    public async Task The_reference_parser_reads_every_family_with_its_type()
    {
        var families = await ReferenceParser.ParseAsync(Fed().Render());

        // A sample whose name does not fit its family would come back as an extra "unknown" family.
        Assert.Equal(
            [
                ("nodedaemon_state", "gauge"), ("nodedaemon_phase", "gauge"), ("nodedaemon_transitions", "counter"),
                ("nodedaemon_stage_duration_seconds", "histogram"), ("nodedaemon_drain_duration_seconds", "histogram"),
                ("nodedaemon_reboot_duration_seconds", "histogram"), ("nodedaemon_failures", "counter"),
                ("nodedaemon_booted_image_info", "gauge"), ("nodedaemon_cordoned", "gauge"), ("nodedaemon_pool_halted", "gauge"),
                ("nodedaemon_rejected_image_info", "gauge"), ("nodedaemon_api_requests", "counter"),
                ("nodedaemon_loop_last_progress_seconds", "gauge"),
            ],
            families.Select(f => (f.Name, f.Type)));
        Assert.All(families, f => Assert.True(f.Help.Length > 20, $"{f.Name} needs a HELP line"));
    }

    [Fact]
    public async Task Gauges_and_counters_read_back_with_their_labels_and_values()
    {
        var families = (await ReferenceParser.ParseAsync(Fed().Render())).ToDictionary(f => f.Name);

        Assert.Equal(["Done=1", "Working=0", "Degraded=0"], Values(families["nodedaemon_state"], "state"));
        var phases = Values(families["nodedaemon_phase"], "phase");
        Assert.Equal(Enum.GetNames<AgentState>().Length, phases.Count);
        Assert.Equal(["Idle=1"], phases.Where(p => p.EndsWith("=1", StringComparison.Ordinal)));

        var transitions = families["nodedaemon_transitions"].Samples;
        Assert.All(transitions, s => Assert.Equal("nodedaemon_transitions_total", s.Name));
        Assert.Equal(5, transitions.Count);
        Assert.Contains(transitions, s => s.Labels["from"] == "Draining" && s.Labels["to"] == "Rebooting" && s.Value == 1);

        Assert.Equal(["stage=1", "finalize=0", "drain=0", "verify=0", "api=0", "turn=0"], Values(families["nodedaemon_failures"], "kind"));

        var booted = Assert.Single(families["nodedaemon_booted_image_info"].Samples);
        Assert.Equal((Digest, "quay.io/example/os", 1.0), (booted.Labels["digest"], booted.Labels["image"], booted.Value));

        var requests = families["nodedaemon_api_requests"].Samples.Select(s => $"{s.Labels["verb"]} {s.Labels["code"]}={s.Value}");
        Assert.Equal(["GET 200=2", "PATCH 409=1", "WATCH error=1"], requests);

        Assert.Equal(12.5, Assert.Single(families["nodedaemon_loop_last_progress_seconds"].Samples).Value);
    }

    [Fact]
    public async Task The_alert_series_say_what_the_last_turn_saw_and_replace_what_it_saw_before()
    {
        var metrics = Fed();
        metrics.Observed(new NodeSignals(CordonedByUs: true, Pool: "blue", PoolHalted: true, RejectedImage: "quay.io/example/os@" + Digest));
        var families = (await ReferenceParser.ParseAsync(metrics.Render())).ToDictionary(f => f.Name);

        Assert.Equal(1, Assert.Single(families["nodedaemon_cordoned"].Samples).Value);
        var halted = Assert.Single(families["nodedaemon_pool_halted"].Samples);
        Assert.Equal(("blue", 1.0), (halted.Labels["pool"], halted.Value));
        var rejected = Assert.Single(families["nodedaemon_rejected_image_info"].Samples);
        Assert.Equal(("quay.io/example/os@" + Digest, 1.0), (rejected.Labels["image"], rejected.Value));

        metrics.Observed(new NodeSignals(CordonedByUs: false, Pool: "blue", PoolHalted: false, RejectedImage: null));
        families = (await ReferenceParser.ParseAsync(metrics.Render())).ToDictionary(f => f.Name);

        Assert.Equal(0, Assert.Single(families["nodedaemon_cordoned"].Samples).Value);
        Assert.Equal(0, Assert.Single(families["nodedaemon_pool_halted"].Samples).Value);
        Assert.Empty(families["nodedaemon_rejected_image_info"].Samples);
    }

    [Fact]
    public async Task Histograms_have_cumulative_buckets_ending_in_Inf_then_sum_and_count()
    {
        var families = (await ReferenceParser.ParseAsync(Fed().Render())).ToDictionary(f => f.Name);

        var drain = families["nodedaemon_drain_duration_seconds"].Samples;
        var buckets = drain.Where(s => s.Name == "nodedaemon_drain_duration_seconds_bucket").ToList();
        Assert.Equal([.. AgentMetrics.DrainBuckets.Select(b => b.ToString(System.Globalization.CultureInfo.InvariantCulture)), "+Inf"],
            buckets.Select(b => b.Labels["le"]));
        Assert.Equal([1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2], buckets.Select(b => b.Value));
        Assert.Equal(705, drain.Single(s => s.Name == "nodedaemon_drain_duration_seconds_sum").Value);
        Assert.Equal(2, drain.Single(s => s.Name == "nodedaemon_drain_duration_seconds_count").Value);

        // Longer than the largest bound: only in +Inf, and still in the sum.
        var reboot = families["nodedaemon_reboot_duration_seconds"].Samples;
        Assert.Equal(0, reboot.Single(s => s.Labels.GetValueOrDefault("le") == "3600").Value);
        Assert.Equal(1, reboot.Single(s => s.Labels.GetValueOrDefault("le") == "+Inf").Value);
        Assert.Equal(5000, reboot.Single(s => s.Name.EndsWith("_sum", StringComparison.Ordinal)).Value);

        foreach (var histogram in families.Values.Where(f => f.Type == "histogram"))
        {
            var counts = histogram.Samples.Where(s => s.Name.EndsWith("_bucket", StringComparison.Ordinal)).Select(s => s.Value).ToList();
            Assert.Equal(counts.Order(), counts);
            Assert.Equal(counts[^1], histogram.Samples.Single(s => s.Name.EndsWith("_count", StringComparison.Ordinal)).Value);
        }
    }

    [Fact]
    public async Task Before_anything_happened_every_family_is_there_and_the_counters_are_zero()
    {
        var families = await ReferenceParser.ParseAsync(new AgentMetrics(new AgentHeartbeat(_time)).Render());

        var byName = families.ToDictionary(f => f.Name);
        Assert.Equal(13, families.Count);
        Assert.Equal(0, Assert.Single(byName["nodedaemon_cordoned"].Samples).Value);
        Assert.Empty(byName["nodedaemon_pool_halted"].Samples);
        Assert.Empty(byName["nodedaemon_rejected_image_info"].Samples);
        Assert.All(byName["nodedaemon_state"].Samples, s => Assert.Equal(0, s.Value));
        Assert.Equal(1, byName["nodedaemon_phase"].Samples.Single(s => s.Labels["phase"] == "Starting").Value);
        Assert.Empty(byName["nodedaemon_transitions"].Samples);
        Assert.Empty(byName["nodedaemon_booted_image_info"].Samples);
        Assert.All(byName["nodedaemon_failures"].Samples, s => Assert.Equal(0, s.Value));
        Assert.Equal(0, byName["nodedaemon_stage_duration_seconds"].Samples.Single(s => s.Name.EndsWith("_count", StringComparison.Ordinal)).Value);
    }

    [Fact]
    public async Task Label_values_and_help_escape_backslash_quote_and_newline()
    {
        const string Nasty = "C:\\path \"quoted\"\nsecond line, ünïcode, {braces}=, and a trailing \\";
        var writer = new PrometheusTextWriter();
        writer.Family("test_info", "gauge", "Help with a \\ backslash,\na newline and \"quotes\".");
        writer.Sample("test_info", 1, ("value", Nasty), ("empty", ""));

        var family = Assert.Single(await ReferenceParser.ParseAsync(writer.ToString()));

        Assert.Equal("Help with a \\ backslash,\na newline and \"quotes\".", family.Help);
        var sample = Assert.Single(family.Samples);
        Assert.Equal(Nasty, sample.Labels["value"]);
        Assert.Equal("", sample.Labels["empty"]);
        // HELP, TYPE and one sample: the newlines inside stayed escaped.
        Assert.Equal(3, writer.ToString().TrimEnd('\n').Split('\n').Length);
    }

    [Fact]
    public async Task Special_and_fractional_values_are_spelled_as_the_format_wants()
    {
        var writer = new PrometheusTextWriter();
        writer.Family("test_values", "gauge", "Values of every shape.");
        double[] values = [0, 0.1, 1e21, 123456789012, -2.5, double.PositiveInfinity, double.NegativeInfinity, double.NaN];
        for (var i = 0; i < values.Length; i++)
        {
            writer.Sample("test_values", values[i], ("i", i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        var parsed = Assert.Single(await ReferenceParser.ParseAsync(writer.ToString())).Samples.Select(s => s.Value);

        Assert.Equal(values, parsed);
        Assert.Equal(["+Inf", "-Inf", "NaN"], values[5..].Select(PrometheusTextWriter.Number));
    }

    private static List<string> Values(ReferenceParser.Family family, string label) =>
        [.. family.Samples.Select(s => $"{s.Labels[label]}={s.Value}")];
}
