using NodeDaemon.Core.Agent;
using NodeDaemon.Core.Health;
using NodeDaemon.Core.Images;
using NodeDaemon.Core.Options;
using static NodeDaemon.Core.Tests.Agent.Build;

namespace NodeDaemon.Core.Tests.Agent;

/// <summary>When the gate is asked again after a Waiting answer (<see cref="GateRules.NextAsk"/>): on a change of the node's Ready, else on the fallback or the gate's own instants.</summary>
public sealed class GateRulesTableTests
{
    /// <summary>One row: the last ask, what the node shows now, the clock, and the answer (null: ask now).</summary>
    public sealed record Row(string Name, HealthNote Note, NodeReadyCondition? NodeReady, HealthOptions Health, DateTimeOffset Now, DateTimeOffset? Expected)
    {
        public override string ToString() => Name;
    }

    // The gate started 3 minutes ago and was last asked 2 s ago, when the kubelet had posted NotReady after the boot.
    private static readonly DateTimeOffset s_started = Now.AddMinutes(-3);
    private static readonly DateTimeOffset s_asked = Now.AddSeconds(-2);
    private static readonly NodeReadyCondition s_notReady = new("False", Now.AddSeconds(-30), Now.AddSeconds(-30), "KubeletNotReady", "container runtime status check may not have completed yet");
    private static readonly NodeReadyCondition s_ready = new("True", Now.AddSeconds(-1), Now.AddSeconds(-1), "KubeletReady", "kubelet is posting ready status");
    private static readonly HealthOptions s_gate = new() { Timeout = TimeSpan.FromMinutes(10) };
    private static readonly HealthOptions s_pods = s_gate with { CriticalPodSelectors = ["app=cni"], CriticalPodGrace = TimeSpan.FromMinutes(5) };

    private static HealthNote Asked(DateTimeOffset? at = null, NodeReadyCondition? saw = null, bool sawNone = false) =>
        new(Digest.Parse(D2), new Moment(s_started, BootId, TimeSpan.FromMinutes(1)), at ?? s_asked, new HealthVerdict.Waiting("waiting for kubelet Ready"), sawNone ? null : saw ?? s_notReady);

    private static readonly Row[] s_rows =
    [
        new("nothing changed, asked 2 s ago: the fallback recheck", Asked(), s_notReady, s_gate, Now, s_asked + GateRules.Recheck),
        new("nothing changed, the fallback recheck is due: ask", Asked(), s_notReady, s_gate, s_asked + GateRules.Recheck, null),
        new("the kubelet posted Ready (the node watch woke the loop): ask now, not at the recheck", Asked(), s_ready, s_gate, Now, null),
        new("the kubelet posted its first status after the boot: ask now", Asked(sawNone: true), s_notReady, s_gate, Now, null),
        new("only a new heartbeat (Ready from before the boot posted again): ask now", Asked(saw: s_ready with { LastHeartbeatTime = Now.AddMinutes(-10) }), s_ready, s_gate, Now, null),
        new("the node shows no Ready, nor did it at the last ask: the fallback", Asked(sawNone: true), null, s_gate, Now, s_asked + GateRules.Recheck),
        new("the Ready the last ask saw is gone (a note from before sawReady was kept): ask now", Asked(), null, s_gate, Now, null),
        new("the gate's timeout comes before the recheck: ask at the timeout", Asked(at: s_started + TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(3)), s_notReady, s_gate,
            s_started + TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(1), s_started + TimeSpan.FromMinutes(10)),
        new("asked after the timeout already: the fallback, not the timeout again", Asked(at: s_started + TimeSpan.FromMinutes(11)), s_notReady, s_gate,
            s_started + TimeSpan.FromMinutes(11) + TimeSpan.FromSeconds(1), s_started + TimeSpan.FromMinutes(11) + GateRules.Recheck),
        new("critical pods: their grace ends before the recheck: ask at its end", Asked(at: s_started + TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(4)), s_notReady, s_pods,
            s_started + TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(2), s_started + TimeSpan.FromMinutes(5)),
        new("no critical pod selector: the grace is no instant of the gate", Asked(at: s_started + TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(4)), s_notReady, s_gate with { CriticalPodGrace = TimeSpan.FromMinutes(5) },
            s_started + TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(2), s_started + TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(4) + GateRules.Recheck),
        new("the wall clock stepped back behind the last ask: ask now", Asked(at: Now.AddMinutes(5)), s_notReady, s_gate, Now, null),
    ];

    public static TheoryData<Row> Rows()
    {
        var data = new TheoryData<Row>();
        foreach (var row in s_rows)
        {
            data.Add(row);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void Asks_on_a_Ready_change_else_on_the_fallback_or_the_gates_instants(Row row) =>
        Assert.Equal(row.Expected, GateRules.NextAsk(row.Note, row.NodeReady, row.Health, row.Now));
}
