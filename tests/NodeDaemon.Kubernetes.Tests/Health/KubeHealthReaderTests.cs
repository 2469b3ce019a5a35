using System.Text.Json;
using System.Text.Json.Nodes;
using NodeDaemon.Core.Cluster;
using NodeDaemon.Core.Health;
using NodeDaemon.Kubernetes.Health;

namespace NodeDaemon.Kubernetes.Tests.Health;

/// <summary>The gate's API evidence read from the test API server: the own Node's Ready and the critical pods on it only.</summary>
public sealed class KubeHealthReaderTests
{
    private static readonly DateTimeOffset Heartbeat = new(2026, 3, 1, 12, 1, 5, TimeSpan.Zero);

    private static JsonObject Seed() => JsonNode.Parse("""
        {
          "apiVersion": "v1", "kind": "List",
          "items": [
            { "apiVersion": "v1", "kind": "Node", "metadata": { "name": "node-a" },
              "status": { "conditions": [
                { "type": "MemoryPressure", "status": "False", "lastHeartbeatTime": "2026-03-01T12:01:05Z", "lastTransitionTime": "2026-03-01T11:00:00Z" },
                { "type": "Ready", "status": "True", "reason": "KubeletReady", "message": "kubelet is posting ready status",
                  "lastHeartbeatTime": "2026-03-01T12:01:05Z", "lastTransitionTime": "2026-03-01T12:01:00Z" } ] } },
            { "apiVersion": "v1", "kind": "Node", "metadata": { "name": "node-b" } },
            { "apiVersion": "v1", "kind": "Pod", "metadata": { "name": "cni-a", "namespace": "kube-system", "labels": { "k8s-app": "cni" } },
              "spec": { "nodeName": "node-a", "containers": [ { "name": "cni", "image": "cni" } ] },
              "status": { "phase": "Running",
                "conditions": [ { "type": "Ready", "status": "True", "lastTransitionTime": "2026-03-01T12:01:30Z" } ],
                "containerStatuses": [ { "name": "cni", "restartCount": 0, "ready": true, "state": { "running": { "startedAt": "2026-03-01T12:01:20Z" } } } ] } },
            { "apiVersion": "v1", "kind": "Pod", "metadata": { "name": "cni-b", "namespace": "kube-system", "labels": { "k8s-app": "cni" } },
              "spec": { "nodeName": "node-b", "containers": [ { "name": "cni", "image": "cni" } ] },
              "status": { "phase": "Running", "conditions": [ { "type": "Ready", "status": "True" } ] } },
            { "apiVersion": "v1", "kind": "Pod", "metadata": { "name": "mon-a", "namespace": "monitoring", "labels": { "app": "mon" } },
              "spec": { "nodeName": "node-a", "containers": [ { "name": "exporter", "image": "exporter" } ] },
              "status": { "phase": "Running",
                "conditions": [ { "type": "Ready", "status": "False", "lastTransitionTime": "2026-03-01T12:01:10Z" } ],
                "containerStatuses": [ { "name": "exporter", "restartCount": 4, "ready": false,
                  "state": { "waiting": { "reason": "CrashLoopBackOff" } } } ] } }
          ]
        }
        """)!.AsObject();

    [Fact]
    public async Task Reads_the_own_nodes_Ready_and_each_selectors_pods_on_this_node_only()
    {
        await using var world = await World.StartAsync(Seed());

        var reading = await world.Client.HealthReader().ReadAsync(["k8s-app=cni", "app=mon", "app=absent"], CancellationToken.None);

        Assert.Equal(new NodeReadyCondition("True", Heartbeat, Heartbeat.AddSeconds(-5), "KubeletReady", "kubelet is posting ready status"), reading.Ready);
        Assert.Equal(["k8s-app=cni", "app=mon", "app=absent"], reading.Selectors.Select(s => s.Selector));
        Assert.Equal(new PodEvidence("kube-system", "cni-a", true, Heartbeat.AddSeconds(25), Heartbeat.AddSeconds(15), 0, null), Assert.Single(reading.Selectors[0].Pods));
        Assert.Equal(new PodEvidence("monitoring", "mon-a", false, Heartbeat.AddSeconds(5), null, 4, "CrashLoopBackOff"), Assert.Single(reading.Selectors[1].Pods));
        Assert.Empty(reading.Selectors[2].Pods);
    }

    [Fact]
    public async Task A_node_the_server_does_not_have_is_no_evidence_but_a_cluster_error()
    {
        await using var world = await World.StartAsync(Seed(), World.FastOptions("node-z"));

        var error = await Assert.ThrowsAsync<ClusterException>(() => world.Client.HealthReader().ReadAsync([], CancellationToken.None));

        Assert.Equal(404, error.StatusCode);
    }

    [Fact]
    public void Terminating_pods_are_left_out_and_init_containers_name_their_wait()
    {
        using var list = JsonDocument.Parse("""
            { "items": [
              { "metadata": { "name": "old", "namespace": "ns", "deletionTimestamp": "2026-03-01T12:00:00Z" }, "status": {} },
              { "metadata": { "name": "new", "namespace": "ns" }, "status": {
                  "initContainerStatuses": [ { "restartCount": 2, "state": { "waiting": { "reason": "CrashLoopBackOff" } } } ],
                  "containerStatuses": [ { "restartCount": "x", "state": { "waiting": { "reason": "PodInitializing" } } } ] } }
            ] }
            """);

        var pod = Assert.Single(HealthJson.Pods(list.RootElement));

        Assert.Equal(new PodEvidence("ns", "new", false, null, null, 2, "Init:CrashLoopBackOff"), pod);
    }
}
