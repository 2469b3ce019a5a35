using NodeDaemon.Core.Agent;
using NodeDaemon.Core.Host;
using NodeDaemon.Core.Images;
using static NodeDaemon.Core.Tests.Agent.Build;

namespace NodeDaemon.Core.Tests.Agent;

/// <summary>A desired image pinned by a multi-arch index digest: rpm-ostree records the platform manifest's digest.</summary>
public sealed class DeciderIndexPinTests
{
    private static readonly string s_index = "sha256:" + new string('9', 64);
    private static readonly string s_pinned = Pull(s_index);

    /// <summary>What rpm-ostree lists after pulling <see cref="s_pinned"/>: that refspec, the platform digest <paramref name="platform"/>.</summary>
    private static HostDeployment IndexPulled(string platform) => Deployment(platform, s_pinned);

    /// <summary>One row: a named situation, the state it must lead to, and the one action.</summary>
    public sealed record Row(string Name, AgentInputs Inputs, AgentState State, AgentAction Action)
    {
        public override string ToString() => Name;
    }

    private static readonly Row[] s_rows =
    [
        new("staged from the index pin: it is the target, cordon", Inputs(desired: s_pinned, staged: IndexPulled(D2)), AgentState.Draining, new AgentAction.Cordon()),
        new("drained: finalize by the platform digest rpm-ostree recorded",
            Inputs(desired: s_pinned, staged: IndexPulled(D2), cordonedByUs: true, record: AgentRecord.For(s_pinned).WithStaged(Digest.Parse(D2)).WithDrained()),
            AgentState.Rebooting, new AgentAction.Finalize(Digest.Parse(D2))),
        new("booted from the index pin after our reboot: verified by the platform digest",
            Inputs(desired: s_pinned, booted: IndexPulled(D2), cordonedByUs: true,
                record: AgentRecord.For(s_pinned) with { Reboot = new RebootRequest(1, "boot-0", Now.AddMinutes(-5), Accepted: true) }),
            AgentState.Verifying, new AgentAction.CompleteVerification(Digest.Parse(D2))),
        new("booted from the index pin: up to date, never staged again", Inputs(desired: s_pinned, booted: IndexPulled(D2)), AgentState.Idle, new AgentAction.None()),
        new("another stage of the same repository: stage the pin", Inputs(desired: s_pinned, staged: Deployment(D3)), AgentState.Staging, StageOf(s_pinned)),
    ];

    /// <summary>The rows, by name.</summary>
    public static TheoryData<string> Names() => [.. s_rows.Select(r => r.Name)];

    [Theory]
    [MemberData(nameof(Names))]
    public void Decides(string name)
    {
        var row = s_rows.Single(r => r.Name == name);

        var decision = Decider.Decide(row.Inputs);

        Assert.Equal(row.State, decision.State);
        Assert.Equal(row.Action, decision.Action);
    }
}
