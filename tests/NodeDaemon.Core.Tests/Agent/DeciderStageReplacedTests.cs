using NodeDaemon.Core.Agent;
using NodeDaemon.Core.Images;
using static NodeDaemon.Core.Tests.Agent.Build;

namespace NodeDaemon.Core.Tests.Agent;

/// <summary>Another client of rpm-ostreed replaced or removed the stage we made: staged again, and said so.</summary>
public sealed class DeciderStageReplacedTests
{
    private static AgentRecord Ours(string d) => Record(d).WithStaged(Digest.Parse(d));

    [Fact]
    public void Replaced_mid_drain_gives_the_cordon_back_and_names_the_other_stage()
    {
        var decision = Decider.Decide(Inputs(desired: Pull(D2), staged: Deployment(D3, "quay.io/fedora/fedora-coreos:stable"),
            record: Ours(D2).WithDrained(), cordonedByUs: true));

        Assert.Equal(AgentState.Staging, decision.State);
        Assert.Equal(new AgentAction.Uncordon(), decision.Action);
        Assert.Contains($"our staged {D2[..19]} was replaced by ostree-unverified-registry:quay.io/fedora/fedora-coreos:stable ({D3}), staged by another client of rpm-ostreed",
            decision.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Replaced_then_uncordoned_stages_ours_again_and_says_why()
    {
        var decision = Decider.Decide(Inputs(desired: Pull(D2), staged: Deployment(D3), record: Ours(D2)));

        Assert.Equal(StageOf(Pull(D2)), decision.Action);
        Assert.Contains($"was replaced by ostree-unverified-registry:{Repo}@{D3} ({D3})", decision.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Removed_stage_is_named_gone()
    {
        var decision = Decider.Decide(Inputs(desired: Pull(D2), record: Ours(D2)));

        Assert.Equal(StageOf(Pull(D2)), decision.Action);
        Assert.EndsWith($"our staged {D2[..19]} is gone, removed by another client of rpm-ostreed", decision.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_stage_lost_by_our_own_reboot_is_not_blamed_on_another_client()
    {
        var record = Ours(D2) with { Reboot = new RebootRequest(1, "boot-0", Now.AddMinutes(-30), Accepted: true) };

        var decision = Decider.Decide(Inputs(desired: Pull(D2), record: record));

        Assert.Equal(StageOf(Pull(D2)), decision.Action);
        Assert.DoesNotContain("another client", decision.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_stage_we_never_made_is_not_called_replaced()
    {
        var decision = Decider.Decide(Inputs(desired: Pull(D2), staged: Deployment(D3), record: Record(D2)));

        Assert.Equal(StageOf(Pull(D2)), decision.Action);
        Assert.DoesNotContain("replaced", decision.Message, StringComparison.Ordinal);
    }
}
