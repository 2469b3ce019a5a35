using NodeDaemon.Core.Agent;
using NodeDaemon.Metrics;

namespace NodeDaemon.Tests.Metrics;

/// <summary>A hand-written metrics seam that records every call, for asserting what the loop reports.</summary>
internal sealed class FakeAgentMetrics : IAgentMetrics
{
    public List<(AgentState From, AgentState To, AgentCondition Condition)> Transitions { get; } = [];
    public List<TimeSpan> Stages { get; } = [];
    public List<TimeSpan> Drains { get; } = [];
    public List<TimeSpan> Reboots { get; } = [];
    public List<FailureKind> Failures { get; } = [];
    public (string Image, string Digest)? Booted { get; private set; }

    public void Transitioned(AgentState previous, AgentState current, AgentCondition condition) => Transitions.Add((previous, current, condition));

    public void StageCompleted(TimeSpan duration) => Stages.Add(duration);

    public void DrainCompleted(TimeSpan duration) => Drains.Add(duration);

    public void RebootCompleted(TimeSpan duration) => Reboots.Add(duration);

    public void Failed(FailureKind kind) => Failures.Add(kind);

    void IAgentMetrics.Booted(string image, string digest) => Booted = (image, digest);

    public List<NodeSignals> Signals { get; } = [];

    public void Observed(NodeSignals signals) => Signals.Add(signals);
}
