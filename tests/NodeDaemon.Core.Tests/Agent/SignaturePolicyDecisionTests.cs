using NodeDaemon.Core.Agent;
using NodeDaemon.Core.Images;
using NodeDaemon.Core.Options;
using static NodeDaemon.Core.Tests.Agent.Build;

namespace NodeDaemon.Core.Tests.Agent;

/// <summary>signaturePolicy "verified" on a host whose policy.json would not verify the image: Degraded, nothing staged.</summary>
public sealed class SignaturePolicyDecisionTests
{
    private static readonly ContainersPolicy s_acceptAll = ContainersPolicy.Parse("""{"default":[{"type":"insecureAcceptAnything"}]}""");
    private static readonly ContainersPolicy s_signed = ContainersPolicy.Parse(
        """{"default":[{"type":"reject"}],"transports":{"docker":{"quay.io/example":[{"type":"sigstoreSigned","keyPath":"/k"}]}}}""");

    public static TheoryData<string, NodeDaemonOptions, AgentState, bool> Rows() => new()
    {
        { "verified, host accepts anything: refused", Verified(new("/etc/containers/policy.json", s_acceptAll, "")), AgentState.Degraded, false },
        { "verified, host policy unusable: refused", Verified(new("/etc/containers/policy.json", null, "no such file")), AgentState.Degraded, false },
        { "verified, host verifies: staged", Verified(new("/etc/containers/policy.json", s_signed, "")), AgentState.Staging, true },
        { "unverified asked for: the host policy is not the daemon's business", new() { HostSignaturePolicy = new("/p", s_acceptAll, "") }, AgentState.Staging, true },
        { "verified, host policy not read (no check)", Verified(null), AgentState.Staging, true },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void RefusesToStageWhatTheHostWouldNotVerify(string name, NodeDaemonOptions options, AgentState state, bool staged)
    {
        var decision = Decider.Decide(Inputs(desired: Pull(D2), options: options));

        Assert.True(state == decision.State, name);
        Assert.Equal(staged, decision.Action is AgentAction.Stage);
        if (!staged)
        {
            Assert.StartsWith("signaturePolicy is \"verified\" but /etc/containers/policy.json", decision.Reason, StringComparison.Ordinal);
        }
    }

    private static NodeDaemonOptions Verified(HostSignaturePolicy? host) => new() { SignaturePolicy = SignaturePolicy.Verified, HostSignaturePolicy = host };
}
