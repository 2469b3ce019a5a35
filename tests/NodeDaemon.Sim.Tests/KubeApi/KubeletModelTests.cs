using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using NodeDaemon.Sim.Harness;
using NodeDaemon.Sim.KubeApi;
using NodeDaemon.Sim.KubeApi.Controllers;
using NodeDaemon.Sim.KubeApi.Faults;
using NodeDaemon.Sim.KubeApi.Store;

namespace NodeDaemon.Sim.Tests.KubeApi;

/// <summary>The kubelet model after a boot, and the boot faults keyed by the booted image's digest, on a fake clock
/// (time scale 1: nominal and real seconds are the same here).</summary>
public sealed class KubeletModelTests : IAsyncLifetime
{
    private const string Good = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
    private const string Bad = "sha256:2222222222222222222222222222222222222222222222222222222222222222";
    private const string AgentPod = "node-agent-x7k2p";
    private static readonly DateTimeOffset s_start = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(s_start);
    private TestApiServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await Cluster.StartAsync(new TestApiServerOptions { Time = _time });
        // A condition someone else wrote (the daemon's own, through nodes/status): the kubelet must keep it.
        _server.Store.Update(ResourceTypes.Nodes, null, "node-a", n =>
        {
            ((JsonArray)n["status"]!["conditions"]!).Insert(0, new JsonObject { ["type"] = "NodeDaemonUpdating", ["status"] = "True" });
            return n;
        });
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public void After_a_boot_the_kubelet_posts_NotReady_then_Ready_and_its_DaemonSet_pods_come_back()
    {
        _server.BootNode("node-a", Good);
        Advance(4);
        Assert.Equal(("True", "2025-01-01T00:00:00Z"), (Ready()["status"]!.ToString(), Ready()["lastTransitionTime"]!.ToString()));

        Advance(1);
        AssertReady("False", "KubeletNotReady", KubeletModel.NotReadyMessage, transitionAt: 5, heartbeatAt: 5);
        Assert.False(PodStatus.IsReady(Pod()));
        Assert.Equal(1, (int)Pod()["status"]!["containerStatuses"]![0]!["restartCount"]!);
        Assert.Equal("ContainersNotReady", (string?)Condition(Pod(), "Ready")["reason"]);

        Advance(9);
        Assert.Equal("False", (string?)Ready()["status"]);
        Advance(1);
        AssertReady("True", "KubeletReady", KubeletModel.ReadyMessage, transitionAt: 15, heartbeatAt: 15);
        Assert.False(PodStatus.IsReady(Pod()));
        Advance(5);
        Assert.True(PodStatus.IsReady(Pod()));
        Assert.Equal("True", (string?)Condition(Node(), "NodeDaemonUpdating")["status"]);
        Assert.Equal("Ready", (string?)((JsonArray)Node()["status"]!["conditions"]!).Last()!["type"]);
        Assert.Equal(1, _server.Kubelets.Boots("node-a"));
    }

    [Fact]
    public void Kubelet_never_ready_keys_on_the_booted_digest()
    {
        Faults(new BootFault { Kind = BootFault.KubeletNeverReady, Image = "quay.io/example/os@" + Bad });
        Assert.True(_server.BootNode("node-a", Bad).NeverReady);
        Advance(3600);
        AssertReady("False", "KubeletNotReady", KubeletModel.NotReadyMessage, transitionAt: 5, heartbeatAt: 5);
        Assert.False(PodStatus.IsReady(Pod()));

        // The next boot, into another image (a rollback), is healthy: the first boot's plan is gone with it.
        Assert.Same(BootPlan.Healthy, _server.BootNode("node-a", Good));
        Advance(20);
        AssertReady("True", "KubeletReady", KubeletModel.ReadyMessage, transitionAt: 3615, heartbeatAt: 3615);
        Assert.True(PodStatus.IsReady(Pod()));
    }

    [Fact]
    public void Kubelet_ready_after_delays_Ready_to_that_many_seconds_after_the_boot()
    {
        Faults(new BootFault { Kind = BootFault.KubeletReadyAfter, Image = Bad, Seconds = 120 });
        _server.BootNode("node-a", Bad);
        Advance(119);
        Assert.Equal("False", (string?)Ready()["status"]);
        Advance(1);
        AssertReady("True", "KubeletReady", KubeletModel.ReadyMessage, transitionAt: 120, heartbeatAt: 120);
    }

    [Fact]
    public void Critical_pod_crashloop_keeps_the_selected_DaemonSet_pods_unready_with_a_growing_restart_count()
    {
        Faults(new BootFault { Kind = BootFault.CriticalPodCrashLoop, Image = Bad, Selector = "app=node-agent" });
        _server.BootNode("node-a", Bad);
        Advance(20);
        Assert.Equal("True", (string?)Ready()["status"]);
        var waiting = Pod()["status"]!["containerStatuses"]![0]!["state"]!["waiting"]!;
        Assert.Equal(KubeletPods.CrashLoopBackOff, (string?)waiting["reason"]);
        var uid = ObjectMeta.Uid(Pod());
        Assert.Matches($@"^back-off 10s restarting failed container=\S+ pod={AgentPod}_kube-system\({uid}\)$", (string?)waiting["message"]);
        Assert.Equal(2, RestartCount());

        Advance(10 + 20 + 40 + 80 + 160 + 300);
        Assert.Equal(8, RestartCount());
        Assert.StartsWith("back-off 5m0s ", (string?)Pod()["status"]!["containerStatuses"]![0]!["state"]!["waiting"]!["message"], StringComparison.Ordinal);
        Assert.False(PodStatus.IsReady(Pod()));
        Assert.Equal("Running", PodStatus.Phase(Pod()));
    }

    [Fact]
    public async Task Api_unreachable_after_boot_refuses_connections_and_the_kubelet_posts_once_it_is_back()
    {
        // Real time here: the outage stops the listener for real seconds.
        await using var server = await Cluster.StartAsync();
        server.Faults.Set(new FaultSettings { BootFaults = [new BootFault { Kind = BootFault.ApiUnreachableAfterBoot, Image = Bad, Seconds = 2 }] });
        var booted = DateTimeOffset.UtcNow;
        server.BootNode("node-a", Bad);
        using var client = Cluster.Client(server);
        await Cluster.WaitUntilAsync(() => !CanConnect(server), TimeSpan.FromSeconds(10), "the listener to stop");
        Assert.Equal("True", (string?)Condition(server.Store.Get(ResourceTypes.Nodes, null, "node-a")!, "Ready")["status"]);
        await Cluster.WaitUntilAsync(() => CanConnect(server), TimeSpan.FromSeconds(30), "the listener to come back");
        await Cluster.WaitUntilAsync(
            () => (string?)Condition(server.Store.Get(ResourceTypes.Nodes, null, "node-a")!, "Ready")["reason"] == "KubeletReady"
                && ObjectMeta.ParseTimestamp((string?)Condition(server.Store.Get(ResourceTypes.Nodes, null, "node-a")!, "Ready")["lastTransitionTime"]) > booted,
            TimeSpan.FromSeconds(30), "the kubelet's Ready after the outage");
        var ready = Condition(await Cluster.GetAsync(client, "/api/v1/nodes/node-a"), "Ready");
        Assert.True(ObjectMeta.ParseTimestamp((string?)ready["lastTransitionTime"]) >= booted.AddSeconds(1));
    }

    [Fact]
    public async Task Kubectl_reads_the_kubelets_conditions()
    {
        _server.BootNode("node-a", Good);
        Advance(5);
        var (code, output) = await Kubectl.RunAsync(_server.KubeconfigPath, TimeSpan.FromSeconds(60), "get", "node", "node-a", "-o",
            "jsonpath={range .status.conditions[*]}{.type}={.status}/{.reason};{end}");
        Assert.True(code == 0, output);
        Assert.Equal("NodeDaemonUpdating=True/;Ready=False/KubeletNotReady;", output.Trim());
    }

    [Theory]
    [InlineData("kubelet-never-ready", Bad, 0, null, null)]
    [InlineData("kubelet-ready-after", "repo@" + Bad, 30, null, null)]
    [InlineData("kubelet-sleepy", Bad, 0, null, "unknown")]
    [InlineData("kubelet-ready-after", Bad, 0, null, "\"seconds\" must be above 0")]
    [InlineData("api-unreachable-after-boot", "repo:tag", 10, null, "must be a digest")]
    [InlineData("critical-pod-crashloop", Bad, 0, null, "selector")]
    [InlineData("critical-pod-crashloop", Bad, 0, "app=cni", null)]
    public void Boot_faults_are_checked(string kind, string image, double seconds, string? selector, string? problem)
    {
        var found = new BootFault { Kind = kind, Image = image, Seconds = seconds, Selector = selector }.Problem();
        if (problem is null)
        {
            Assert.Null(found);
        }
        else
        {
            Assert.Contains(problem, found, StringComparison.Ordinal);
        }
    }

    private void Faults(params BootFault[] faults) => _server.Faults.Set(new FaultSettings { BootFaults = faults });

    // A second at a time: work chained from a timer is due from the moment it ran, so one long jump would skip it.
    private void Advance(int seconds)
    {
        for (var i = 0; i < seconds; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
        }
    }

    private static bool CanConnect(TestApiServer server)
    {
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        try
        {
            socket.Connect(System.Net.IPAddress.Loopback, server.Url.Port);
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    private JsonObject Node() => _server.Store.Get(ResourceTypes.Nodes, null, "node-a")!;

    private JsonObject Ready() => Condition(Node(), "Ready");

    private JsonObject Pod() => _server.Store.Get(ResourceTypes.Pods, "kube-system", AgentPod)!;

    private int RestartCount() => (int)Pod()["status"]!["containerStatuses"]![0]!["restartCount"]!;

    private static JsonObject Condition(JsonObject obj, string type) =>
        ((JsonArray)obj["status"]!["conditions"]!).OfType<JsonObject>().Single(c => (string?)c["type"] == type);

    private void AssertReady(string status, string reason, string message, int transitionAt, int heartbeatAt)
    {
        var ready = Ready();
        Assert.Equal(status, (string?)ready["status"]);
        Assert.Equal(reason, (string?)ready["reason"]);
        Assert.Equal(message, (string?)ready["message"]);
        Assert.Equal(ObjectMeta.Timestamp(s_start.AddSeconds(transitionAt)), (string?)ready["lastTransitionTime"]);
        Assert.Equal(ObjectMeta.Timestamp(s_start.AddSeconds(heartbeatAt)), (string?)ready["lastHeartbeatTime"]);
    }
}
