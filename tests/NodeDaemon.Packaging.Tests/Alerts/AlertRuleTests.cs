using System.Text;
using System.Text.RegularExpressions;
using NodeDaemon.Packaging.Tests.Support;
using NodeDaemon.Tests.Shared;

namespace NodeDaemon.Packaging.Tests.Alerts;

/// <summary>The shipped alerting rules (docs/nodedaemon-alerts.yaml) under Debian's real promtool: they load, and each
/// alert fires on the series of the situation it names and stays quiet on its near miss.</summary>
public sealed partial class AlertRuleTests
{
    private const string Node = "node-a:9100";
    private const string Image = "quay.io/example/os@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

    private static string RulesPath => Path.Combine(RepositoryPaths.Root, "docs", "nodedaemon-alerts.yaml");

    private static readonly AlertCase[] s_cases =
    [
        new("Degraded for 8 minutes", "NodeDaemonNodeDegraded",
            [($"nodedaemon_state{{instance=\"{Node}\",state=\"Degraded\"}}", "0 0 1x10")], "10m",
            [new([("instance", Node), ("severity", "warning"), ("state", "Degraded")],
                [("summary", $"NodeDaemon gave up updating {Node}"),
                 ("description", "The node reports state=Degraded; the reason is in its nodedaemon.io/reason annotation and its OSUpdateDegraded condition (kubectl describe node).")])]),
        new("Degraded for 3 minutes, then working again", "NodeDaemonNodeDegraded",
            [($"nodedaemon_state{{instance=\"{Node}\",state=\"Degraded\"}}", "0 1 1 1 0x10")], "10m", []),
        new("a node that is Done", "NodeDaemonNodeDegraded",
            [($"nodedaemon_state{{instance=\"{Node}\",state=\"Degraded\"}}", "0x10"), ($"nodedaemon_state{{instance=\"{Node}\",state=\"Done\"}}", "1x10")], "10m", []),

        new("two nodes of pool blue wait on a halt", "NodeDaemonRolloutHalted",
            [("nodedaemon_pool_halted{instance=\"node-a:9100\",pool=\"blue\"}", "1x10"), ("nodedaemon_pool_halted{instance=\"node-b:9100\",pool=\"blue\"}", "1x10"),
             ("nodedaemon_pool_halted{instance=\"node-c:9100\",pool=\"green\"}", "0x10")], "8m",
            [new([("pool", "blue"), ("severity", "critical")],
                [("summary", "OS rollout halted in pool blue"),
                 ("description", "Nodes of pool blue wait for a slot because too many nodes are Degraded on the image they want; nothing in the pool updates until an admin acts.")])]),
        new("a halt lifted after 3 minutes", "NodeDaemonRolloutHalted",
            [("nodedaemon_pool_halted{instance=\"node-a:9100\",pool=\"blue\"}", "1 1 1 0x10")], "8m", []),

        // The reboot: a failed scrape makes Prometheus mark the series stale, then nothing for minutes. A `for: 2h`
        // starts again after it and stays quiet here (checked); min_over_time does not.
        new("our cordon for 2 h, across the stale mark and gap of the reboot", "NodeDaemonCordonedTooLong",
            [($"nodedaemon_cordoned{{instance=\"{Node}\"}}", "0 1x60 stale _x4 1x70")], "130m",
            [new([("instance", Node), ("severity", "warning")],
                [("summary", $"NodeDaemon has kept {Node} cordoned for more than 2 hours"),
                 ("description", "The node carries the daemon's cordon (nodedaemon.io/cordoned-by) since at least 2 h: a drain blocked by a PodDisruptionBudget, a slow reboot, or a verification that does not end.")])]),
        new("our cordon for 95 minutes", "NodeDaemonCordonedTooLong",
            [($"nodedaemon_cordoned{{instance=\"{Node}\"}}", "0x30 1x100")], "125m", []),

        new("staging for 65 minutes", "NodeDaemonStagingStuck",
            [($"nodedaemon_phase{{instance=\"{Node}\",phase=\"Staging\"}}", "1x70")], "65m",
            [new([("instance", Node), ("phase", "Staging"), ("severity", "warning")],
                [("summary", $"NodeDaemon has been staging an image on {Node} for more than an hour"),
                 ("description", "The pull or the deployment does not finish: a registry that hangs, a huge image on a slow link, or rpm-ostreed busy; see the node's nodedaemon.io/message and the journal (journalctl -u nodedaemon).")])]),
        new("staged after 50 minutes", "NodeDaemonStagingStuck",
            [($"nodedaemon_phase{{instance=\"{Node}\",phase=\"Staging\"}}", "1x50 0x30"), ($"nodedaemon_phase{{instance=\"{Node}\",phase=\"Staged\"}}", "0x50 1x30")], "65m", []),

        new("systemd restarted the daemon once", "NodeDaemonRestarting",
            [($"node_systemd_service_restart_total{{instance=\"{Node}\",name=\"nodedaemon.service\"}}", "0x10 1x50")], "30m",
            [new([("instance", Node), ("name", "nodedaemon.service"), ("severity", "warning")],
                [("summary", $"systemd restarted nodedaemon.service on {Node}"),
                 ("description", "Automatic restarts in the last hour (a crash, or the watchdog); see journalctl -u nodedaemon for the cause.")])]),
        new("restarts long ago, and another unit's", "NodeDaemonRestarting",
            [($"node_systemd_service_restart_total{{instance=\"{Node}\",name=\"nodedaemon.service\"}}", "3x130"),
             ($"node_systemd_service_restart_total{{instance=\"{Node}\",name=\"sshd.service\"}}", "0 1 2 3 4 5x125")], "120m", []),

        new("the health gate rejected an image", "NodeDaemonImageRejected",
            [($"nodedaemon_rejected_image_info{{image=\"{Image}\",instance=\"{Node}\"}}", "1x10")], "5m",
            [new([("image", Image), ("instance", Node), ("severity", "warning")],
                [("summary", $"{Node} rejected image {Image}"),
                 ("description", $"The node booted {Image}, failed its health gate and rolled back; fix the image or the checks, then set a new desired image.")])]),
        new("no image rejected: the daemon writes no sample", "NodeDaemonImageRejected",
            [($"nodedaemon_state{{instance=\"{Node}\",state=\"Done\"}}", "1x10")], "5m", []),
    ];

    [Fact]
    public async Task Promtool_check_rules_accepts_the_shipped_rules()
    {
        var result = (await Tool.RunAsync(Tool.OnPath("promtool"), "check", "rules", RulesPath)).EnsureSuccess();

        Assert.Contains($"SUCCESS: {AlertNames().Count} rules found", result.Stdout + result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Promtool_test_rules_passes_a_firing_and_a_quiet_case_of_every_alert()
    {
        var alerts = AlertNames();
        Assert.Equal(6, alerts.Count);
        foreach (var alert in alerts)
        {
            Assert.Contains(s_cases, c => c.Alert == alert && c.Fires);
            Assert.Contains(s_cases, c => c.Alert == alert && !c.Fires);
        }

        using var dir = new TempDirectory();
        var tests = Path.Combine(dir.Path, "nodedaemon-alerts-test.yaml");
        await File.WriteAllTextAsync(tests, TestFile(s_cases));

        var result = await Tool.RunAsync(Tool.OnPath("promtool"), "test", "rules", tests);

        Assert.True(result.ExitCode == 0, $"promtool test rules failed:\n{result.Stdout}\n{result.Stderr}\n--- the test file:\n{await File.ReadAllTextAsync(tests)}");
    }

    [Fact]
    public async Task Promtool_test_rules_fails_when_a_case_expects_the_wrong_thing()
    {
        // The harness must be able to fail: a quiet case turned into a firing one is refused.
        var wrong = s_cases.First(c => !c.Fires) with { Expected = s_cases.First(c => c.Fires).Expected };
        using var dir = new TempDirectory();
        var tests = Path.Combine(dir.Path, "wrong-test.yaml");
        await File.WriteAllTextAsync(tests, TestFile([wrong]));

        var result = await Tool.RunAsync(Tool.OnPath("promtool"), "test", "rules", tests);

        Assert.NotEqual(0, result.ExitCode);
    }

    private static string TestFile(IEnumerable<AlertCase> cases)
    {
        var yaml = new StringBuilder();
        yaml.AppendLine("rule_files:");
        yaml.AppendLine($"  - '{RulesPath}'");
        yaml.AppendLine("evaluation_interval: 1m");
        yaml.AppendLine("tests:");
        foreach (var c in cases)
        {
            yaml.Append(c.ToYaml());
        }

        return yaml.ToString();
    }

    private static List<string> AlertNames() =>
        [.. AlertLine().Matches(File.ReadAllText(RulesPath)).Select(m => m.Groups[1].Value)];

    [GeneratedRegex(@"^\s*- alert: (\w+)\s*$", RegexOptions.Multiline)]
    private static partial Regex AlertLine();
}
