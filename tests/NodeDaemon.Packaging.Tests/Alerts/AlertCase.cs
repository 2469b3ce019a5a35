using System.Text;

namespace NodeDaemon.Packaging.Tests.Alerts;

/// <summary>One promtool unit test of one alert: the series the test writes, when to evaluate, and the alerts expected then.</summary>
/// <param name="Name">What the case shows.</param>
/// <param name="Alert">The alert rule under test.</param>
/// <param name="Series">Input series in promtool's notation: selector and values (<c>0 1x10</c>, <c>_</c> for a missing sample).</param>
/// <param name="EvalTime">When the rule is evaluated, e.g. <c>10m</c>.</param>
/// <param name="Expected">The alerts that must be firing then, each as labels and annotations; empty: none may fire.</param>
internal sealed record AlertCase(string Name, string Alert, (string Series, string Values)[] Series, string EvalTime, ExpectedAlert[] Expected)
{
    /// <summary>Whether the case expects the alert to fire.</summary>
    public bool Fires => Expected.Length > 0;

    public override string ToString() => $"{Alert}: {Name}";

    /// <summary>The case as one entry of a promtool test file's <c>tests:</c> list.</summary>
    public string ToYaml()
    {
        var yaml = new StringBuilder();
        yaml.AppendLine($"  # {Name}");
        yaml.AppendLine("  - interval: 1m");
        yaml.AppendLine("    input_series:");
        foreach (var (series, values) in Series)
        {
            yaml.AppendLine($"      - series: {Quote(series)}");
            yaml.AppendLine($"        values: {Quote(values)}");
        }

        yaml.AppendLine("    alert_rule_test:");
        yaml.AppendLine($"      - eval_time: {EvalTime}");
        yaml.AppendLine($"        alertname: {Alert}");
        yaml.AppendLine(Expected.Length == 0 ? "        exp_alerts: []" : "        exp_alerts:");
        foreach (var alert in Expected)
        {
            yaml.AppendLine("          - exp_labels:");
            foreach (var (key, value) in alert.Labels)
            {
                yaml.AppendLine($"              {key}: {Quote(value)}");
            }

            yaml.AppendLine("            exp_annotations:");
            foreach (var (key, value) in alert.Annotations)
            {
                yaml.AppendLine($"              {key}: {Quote(value)}");
            }
        }

        return yaml.ToString();
    }

    // YAML single quotes: nothing is special inside but the quote itself, which doubles.
    private static string Quote(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";
}

/// <summary>An alert promtool must find firing: its labels (alertname is added by promtool) and its expanded annotations.</summary>
internal sealed record ExpectedAlert((string Key, string Value)[] Labels, (string Key, string Value)[] Annotations);
