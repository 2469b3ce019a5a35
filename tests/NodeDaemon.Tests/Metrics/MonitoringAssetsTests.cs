using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;
using NodeDaemon.Metrics;
using NodeDaemon.Systemd;
using NodeDaemon.Tests.Shared;

namespace NodeDaemon.Tests.Metrics;

/// <summary>The shipped dashboard and alerting rules (docs/) parse, and every series they read is one the daemon
/// serves, or one of the two outside exporters' series they name on purpose.</summary>
public sealed partial class MonitoringAssetsTests
{
    /// <summary>Series of other exporters the assets read, each for a reason docs/operations.md gives.</summary>
    private static readonly HashSet<string> s_outside = new(StringComparer.Ordinal)
    {
        // node_exporter's systemd collector (collector/systemd_linux.go): systemd's NRestarts of a unit.
        "node_systemd_service_restart_total",
        // kube-state-metrics (internal/store/node.go): every Node condition, ours included.
        "kube_node_status_condition",
    };

    private static string Docs(string name) => Path.Combine(RepositoryPaths.Root, "docs", name);

    /// <summary>Every series name /metrics can carry: each family, and a histogram's _bucket, _sum and _count.</summary>
    private static HashSet<string> Served()
    {
        var text = new AgentMetrics(new AgentHeartbeat(new FakeTimeProvider())).Render();
        var served = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match type in TypeLine().Matches(text))
        {
            var (name, kind) = (type.Groups[1].Value, type.Groups[2].Value);
            served.Add(name);
            if (kind == "histogram")
            {
                served.UnionWith([name + "_bucket", name + "_sum", name + "_count"]);
            }
        }

        return served;
    }

    private static IEnumerable<string> SeriesIn(string expr) => SeriesName().Matches(expr).Select(m => m.Value);

    [Fact]
    public void The_dashboard_parses_and_every_panel_queries_series_that_exist()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(Docs("nodedaemon-dashboard.json")));
        var root = dashboard.RootElement;
        Assert.Equal("NodeDaemon", root.GetProperty("title").GetString());
        var panels = root.GetProperty("panels").EnumerateArray().ToList();
        Assert.InRange(panels.Count, 1, 12);
        var served = Served();

        var exprs = panels.SelectMany(p => p.GetProperty("targets").EnumerateArray().Select(t => t.GetProperty("expr").GetString() ?? "")).ToList();
        Assert.All(exprs, e => Assert.NotEmpty(SeriesIn(e)));
        var used = exprs.SelectMany(SeriesIn).ToHashSet(StringComparer.Ordinal);
        Assert.All(used, name => Assert.True(served.Contains(name) || s_outside.Contains(name), $"the dashboard reads {name}, which nothing serves"));
        // The alert series and the condition are on it, not only in the rules.
        Assert.Superset(new HashSet<string>(["nodedaemon_cordoned", "nodedaemon_pool_halted", "nodedaemon_rejected_image_info", "kube_node_status_condition"]), used);
    }

    [Fact]
    public void Every_alert_reads_series_that_exist()
    {
        var exprs = ExprLine().Matches(File.ReadAllText(Docs("nodedaemon-alerts.yaml"))).Select(m => m.Groups[1].Value).ToList();
        var served = Served();

        Assert.Equal(6, exprs.Count);
        Assert.All(exprs.SelectMany(SeriesIn), name =>
            Assert.True(served.Contains(name) || s_outside.Contains(name), $"an alert reads {name}, which nothing serves"));
    }

    [Fact]
    public void The_check_catches_a_series_nothing_serves()
    {
        var served = Served();

        Assert.DoesNotContain(SeriesIn("nodedaemon_cordon_seconds > 7200").Single(), served);
        Assert.Contains(SeriesIn("rate(nodedaemon_drain_duration_seconds_bucket[5m])").Single(), served);
    }

    [GeneratedRegex(@"^# TYPE (\S+) (\S+)$", RegexOptions.Multiline)]
    private static partial Regex TypeLine();

    // Names of ours and of the two outside exporters; PromQL functions and keywords never start like this.
    [GeneratedRegex(@"\b(?:nodedaemon|node|kube)_[a-z_]+\b")]
    private static partial Regex SeriesName();

    [GeneratedRegex(@"^\s*expr: (.+)$", RegexOptions.Multiline)]
    private static partial Regex ExprLine();
}
