using System.Text.Json.Nodes;
using NodeDaemon.Sim.KubeApi.Faults;
using NodeDaemon.Sim.Scenarios;

namespace NodeDaemon.Sim.Tests.Scenarios;

/// <summary>A scenario's faults become the host's faults file and the API server's settings.</summary>
public sealed class ScenarioFaultsTests
{
    private static ScenarioFault Fault(string kind, JsonObject? fields = null) => new() { Kind = kind, Fields = fields };

    [Fact]
    public void Host_faults_become_their_faults_file_keys()
    {
        var file = JsonNode.Parse(ScenarioFaults.HostFile(
        [
            Fault("pull-fail", new JsonObject { ["count"] = 2 }),
            Fault("pull-hang"),
            Fault("finalize-compares", new JsonObject { ["value"] = "digest" }),
            Fault("api", new JsonObject { ["latencyMilliseconds"] = 5 }),
        ]))!;

        Assert.Equal(2, (int)file["pull-fail"]!["count"]!);
        Assert.True((bool)file["pull-hang"]!);
        Assert.Equal("digest", (string?)file["finalize-compares"]);
        Assert.Equal(3, file.AsObject().Count);
    }

    [Fact]
    public void Registry_down_belongs_to_the_runner_not_to_the_hosts_faults_file()
    {
        var file = JsonNode.Parse(ScenarioFaults.HostFile([Fault("registry-down"), Fault("pull-hang")]))!;

        Assert.Equal(["pull-hang"], file.AsObject().Select(p => p.Key));
        ScenarioFaults.Check(Fault("registry-down"));
        Assert.Throws<ScenarioException>(() => ScenarioFaults.Check(Fault("registry-down", new JsonObject { ["seconds"] = 3 })));
    }

    [Fact]
    public void Api_faults_add_up_their_error_rules()
    {
        var settings = ScenarioFaults.Api(
        [
            Fault("api", new JsonObject { ["latencyMilliseconds"] = 5, ["errors"] = new JsonArray(new JsonObject { ["status"] = 500, ["rate"] = 0.1 }) }),
            Fault("api", new JsonObject { ["errors"] = new JsonArray(new JsonObject { ["status"] = 429, ["resource"] = "nodes" }) }),
            Fault("pull-hang"),
        ]);

        Assert.Equal(5, settings.LatencyMilliseconds);
        Assert.Equal([500, 429], settings.Errors.Select(e => e.Status));
        Assert.Equal("nodes", settings.Errors[1].Resource);
    }

    [Fact]
    public void Unknown_kinds_and_fields_are_refused_by_name()
    {
        Assert.Contains("\"pull-fial\"", Assert.Throws<ScenarioException>(() => ScenarioFaults.Check(Fault("pull-fial"))).Message, StringComparison.Ordinal);
        Assert.Contains("latencyMs", Assert.Throws<ScenarioException>(() => ScenarioFaults.Check(Fault("api", new JsonObject { ["latencyMs"] = 5 }))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_clock_fault_is_the_runners_own_an_offset_for_libfaketime_and_no_host_key()
    {
        var back = Fault("clock", new JsonObject { ["offsetSeconds"] = -3600 });

        ScenarioFaults.Check(back);
        Assert.Equal("-3600\n", ScenarioClock.OffsetFile([Fault("pull-hang"), back]));
        Assert.Equal("+0\n", ScenarioClock.OffsetFile([Fault("pull-hang")]));
        Assert.Equal("{\"pull-hang\":true}", ScenarioFaults.HostFile([Fault("pull-hang"), back]));
        Assert.Contains("offsetSeconds", Assert.Throws<ScenarioException>(() => ScenarioFaults.Check(Fault("clock", new JsonObject { ["seconds"] = 5 }))).Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void No_api_fault_is_a_healthy_server()
    {
        Assert.Equal(new FaultSettings().LatencyMilliseconds, ScenarioFaults.Api([]).LatencyMilliseconds);
        Assert.Empty(ScenarioFaults.Api([]).Errors);
    }

    [Fact]
    public void Boot_faults_go_to_the_api_servers_boot_faults_not_to_the_hosts_faults_file()
    {
        var bad = "sha256:" + new string('2', 64);
        ScenarioFault[] active =
        [
            Fault("kubelet-ready-after", new JsonObject { ["image"] = "{registry}/nodedaemon/os@" + bad, ["seconds"] = 30 }),
            Fault("critical-pod-crashloop", new JsonObject { ["image"] = bad, ["selector"] = "app=cni" }),
            Fault("api", new JsonObject { ["latencyMilliseconds"] = 5 }),
            Fault("pull-hang"),
        ];

        var settings = ScenarioFaults.Api(active);
        Assert.Equal(["kubelet-ready-after", "critical-pod-crashloop"], settings.BootFaults.Select(f => f.Kind));
        Assert.Equal((bad, 30.0), (settings.BootFaults[0].Digest, settings.BootFaults[0].Seconds));
        Assert.Equal("app=cni", settings.BootFaults[1].Selector);
        Assert.Equal(5, settings.LatencyMilliseconds);
        Assert.Equal(["pull-hang"], JsonNode.Parse(ScenarioFaults.HostFile(active))!.AsObject().Select(p => p.Key));

        // Placeholders are checked with a stand-in digest; a missing field or an unknown one is refused at load.
        ScenarioFaults.Check(Fault("kubelet-never-ready", new JsonObject { ["image"] = "{registry}/nodedaemon/os@{single}" }));
        Assert.Throws<ScenarioException>(() => ScenarioFaults.Check(Fault("kubelet-ready-after", new JsonObject { ["image"] = bad })));
        Assert.Throws<ScenarioException>(() => ScenarioFaults.Check(Fault("api-unreachable-after-boot", new JsonObject { ["image"] = bad, ["secs"] = 120 })));
        Assert.Throws<ScenarioException>(() => ScenarioFaults.Check(Fault("critical-pod-crashloop", new JsonObject { ["image"] = "quay.io/x:latest", ["selector"] = "app=cni" })));
    }
}
