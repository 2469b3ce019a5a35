using System.Text.Json.Nodes;
using NodeDaemon.Sim.KubeApi.Faults;
using NodeDaemon.Sim.KubeApi.Store;

namespace NodeDaemon.Sim.KubeApi.Controllers;

/// <summary>
/// The kubelets of the simulated nodes, as far as a reboot shows them: after each boot of a node its kubelet posts
/// <c>Ready=False</c> (reason <c>KubeletNotReady</c>), then <c>Ready=True</c> (reason <c>KubeletReady</c>, message
/// <c>kubelet is posting ready status</c>), and the node's DaemonSet pods come back, restarted and not Ready at first,
/// then Ready; a <see cref="BootPlan"/> breaks any of it for a bad image.
/// </summary>
/// <remarks>
/// As kubernetes <c>pkg/kubelet/nodestatus/setters.go</c> (<c>ReadyCondition</c>) writes the condition: every post
/// sets <c>lastHeartbeatTime</c> to now; <c>lastTransitionTime</c> moves only when the status changes; the Ready
/// condition is replaced in place (appended last when missing) and every other condition is kept, so a condition
/// written by someone else (the daemon's own) survives. The kubelet's other conditions (its pressure conditions) get
/// the same heartbeat. DaemonSet pods tolerate the not-ready taints and are never evicted for a reboot: the kubelet
/// restarts their containers in place (same pod, same uid, restartCount + 1); other pods are left to the controllers.
/// </remarks>
public sealed class KubeletModel
{
    /// <summary>The message of <c>Ready=False</c> right after a start, the kubelet's <c>runtimeState.runtimeErrors()</c>
    /// before its first runtime check (<c>pkg/kubelet/runtime.go</c>).</summary>
    public const string NotReadyMessage = "container runtime status check may not have completed yet";

    /// <summary>The message of <c>Ready=True</c>.</summary>
    public const string ReadyMessage = "kubelet is posting ready status";

    private static readonly HashSet<string> s_kubeletConditions =
        new(["Ready", "MemoryPressure", "DiskPressure", "PIDPressure"], StringComparer.Ordinal);

    private readonly ObjectStore _store;
    private readonly SimScheduler _scheduler;
    private readonly Dictionary<string, int> _boots = new(StringComparer.Ordinal);

    /// <summary>Kubelets writing to <paramref name="store"/> on <paramref name="scheduler"/>'s (scaled) time.</summary>
    public KubeletModel(ObjectStore store, SimScheduler scheduler, KubeletTimings? timings = null)
    {
        _store = store;
        _scheduler = scheduler;
        Timings = timings ?? new KubeletTimings();
    }

    /// <summary>The nominal timings.</summary>
    public KubeletTimings Timings { get; }

    /// <summary>Node <paramref name="node"/> has just booted; its kubelet starts as <paramref name="plan"/> says. Work still
    /// pending from the node's previous boot is dropped.</summary>
    /// <param name="node">The node's name.</param>
    /// <param name="plan">What goes wrong in this boot.</param>
    /// <param name="notBefore">Real time from now before which the kubelet cannot post (the API server is unreachable).</param>
    public void Boot(string node, BootPlan plan, TimeSpan notBefore = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        int boot;
        lock (_boots)
        {
            boot = _boots[node] = _boots.GetValueOrDefault(node) + 1;
        }

        var firstPost = Max(_scheduler.Real(Timings.FirstPost), notBefore);
        var ready = plan.ReadyAfter is { } after ? Max(after, firstPost) : firstPost + _scheduler.Real(Timings.Ready);
        // Each post is scheduled by the one before it, as one kubelet posts them in turn: two timers due close together
        // may run in either order on a busy machine, and a Ready=True overtaken by the first Ready=False would leave the
        // node not Ready for the whole boot.
        _scheduler.AfterReal(firstPost, () => Post(node, boot, () =>
        {
            FirstPost(node);
            if (!plan.NeverReady)
            {
                _scheduler.AfterReal(ready - firstPost, () => Post(node, boot, () =>
                {
                    SetReady(node, true);
                    _scheduler.After(Timings.PodsReady, () => Post(node, boot, () => PodsUp(node, boot, plan)));
                }));
            }
        }));
    }

    /// <summary>Boots so far of <paramref name="node"/> (0 before the first).</summary>
    public int Boots(string node)
    {
        lock (_boots)
        {
            return _boots.GetValueOrDefault(node);
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    /// <summary>Runs <paramref name="work"/> in the store's lock, unless the node booted again meanwhile or is gone.</summary>
    private void Post(string node, int boot, Action work)
    {
        lock (_store.Gate)
        {
            lock (_boots)
            {
                if (_boots.GetValueOrDefault(node) != boot)
                {
                    return;
                }
            }

            if (_store.Get(ResourceTypes.Nodes, null, node) is not null)
            {
                work();
            }
        }
    }

    private void FirstPost(string node)
    {
        SetReady(node, false);
        var now = Now();
        foreach (var pod in DaemonSetPods(node))
        {
            UpdatePod(pod, p => KubeletPods.Restarted(p, now));
        }
    }

    private void PodsUp(string node, int boot, BootPlan plan)
    {
        var now = Now();
        var crashing = plan.CrashLoopSelectors.Select(LabelSelector.Parse).ToList();
        foreach (var pod in DaemonSetPods(node))
        {
            var labels = ObjectMeta.Labels(pod);
            if (crashing.Any(s => s.Matches(labels)))
            {
                CrashLoop(node, boot, ObjectMeta.Namespace(pod)!, ObjectMeta.Name(pod)!, Timings.BackOff);
            }
            else
            {
                UpdatePod(pod, p => KubeletPods.Ready(p, now));
            }
        }
    }

    /// <summary>One more crash of the pod's containers, then the next after the back-off (doubling, capped), for as long
    /// as this boot lasts.</summary>
    private void CrashLoop(string node, int boot, string ns, string name, TimeSpan backOff)
    {
        if (_store.Get(ResourceTypes.Pods, ns, name) is not { } pod || PodStatus.IsTerminating(pod))
        {
            return;
        }

        var now = Now();
        UpdatePod(pod, p => KubeletPods.Crashed(p, now, backOff));
        var next = backOff * 2 > Timings.MaxBackOff ? Timings.MaxBackOff : backOff * 2;
        _scheduler.After(backOff, () => Post(node, boot, () => CrashLoop(node, boot, ns, name, next)));
    }

    private void SetReady(string node, bool ready)
    {
        var now = Now();
        _store.Update(ResourceTypes.Nodes, null, node, n =>
        {
            var status = n["status"] as JsonObject ?? [];
            n["status"] = status;
            var conditions = status["conditions"] as JsonArray ?? [];
            status["conditions"] = conditions;
            foreach (var condition in conditions.OfType<JsonObject>().Where(c => s_kubeletConditions.Contains((string?)c["type"] ?? "")))
            {
                condition["lastHeartbeatTime"] = now;
            }

            var wanted = ready ? "True" : "False";
            var readyCondition = conditions.OfType<JsonObject>().FirstOrDefault(c => (string?)c["type"] == "Ready");
            if (readyCondition is null)
            {
                readyCondition = new JsonObject { ["type"] = "Ready" };
                conditions.Add(readyCondition);
            }

            if ((string?)readyCondition["status"] != wanted)
            {
                readyCondition["lastTransitionTime"] = now;
            }

            readyCondition["status"] = wanted;
            readyCondition["reason"] = ready ? "KubeletReady" : "KubeletNotReady";
            readyCondition["message"] = ready ? ReadyMessage : NotReadyMessage;
            readyCondition["lastHeartbeatTime"] = now;
            return n;
        });
    }

    private List<JsonObject> DaemonSetPods(string node) =>
        [.. _store.List(ResourceTypes.Pods).Where(p => (string?)p["spec"]?["nodeName"] == node && KubeletPods.IsDaemonSetPod(p) && !PodStatus.IsTerminating(p))];

    private void UpdatePod(JsonObject pod, Action<JsonObject> change) =>
        _store.Update(ResourceTypes.Pods, ObjectMeta.Namespace(pod), ObjectMeta.Name(pod)!, p =>
        {
            change(p);
            return p;
        });

    private string Now() => ObjectMeta.Timestamp(_store.Time.GetUtcNow());
}
