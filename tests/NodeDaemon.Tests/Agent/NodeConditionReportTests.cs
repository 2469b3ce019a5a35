using NodeDaemon.Core.Agent;
using NodeDaemon.Core.Cluster;
using static NodeDaemon.Tests.Agent.AgentLoopWorld;

namespace NodeDaemon.Tests.Agent;

/// <summary>The node's conditions beside its reports: one status write per phase change, none for a progress line or a restart.</summary>
public sealed class NodeConditionReportTests : IDisposable
{
    private static readonly string s_new = "sha256:" + new string('2', 64);
    private readonly AgentLoopWorld _world = new("nodedaemon-conditions-");

    [Fact]
    public async Task An_update_writes_the_conditions_once_per_phase_change()
    {
        _world.Node.Annotate("nodedaemon.io/desired-image", "quay.io/example/os@" + s_new);
        await SettleAsync(_world.Loop());
        _world.Host.Reboot();
        _world.BootId = "boot-2";
        await SettleAsync(_world.Loop());

        // Staging, Rebooting, the uncordon (Done): the phases whose status changes or that write a report. The cordon's
        // Draining changes only Progressing's reason, and a drain that ends within the progress interval writes no line it could ride on.
        Assert.Equal(["Staging", "Rebooting", "UpToDate"], _world.Node.ConditionWrites.Select(w => w[0].Reason));
        Assert.All(_world.Node.ConditionWrites, w => Assert.Equal(NodeConditionRules.Types, w.Select(c => c.Type)));
        Assert.Equal(("False", "False"), (_world.Node.Conditions[0].Status, _world.Node.Conditions[1].Status));
    }

    [Fact]
    public async Task A_restart_that_finds_its_conditions_on_the_node_writes_none_and_one_that_finds_none_writes_them_once()
    {
        await _world.Loop().TurnAsync(CancellationToken.None);
        Assert.Single(_world.Node.ConditionWrites);

        // The daemon restarts on a settled node that shows its conditions already: nothing to write.
        await _world.Loop().TurnAsync(CancellationToken.None);
        Assert.Single(_world.Node.ConditionWrites);
    }

    [Fact]
    public async Task A_failed_write_of_a_report_and_its_conditions_is_written_again_at_the_next_turn()
    {
        _world.Node.FailNextConditions = new ClusterException("nodes/status: 503", 503);
        var loop = _world.Loop();
        await loop.TurnAsync(CancellationToken.None);
        Assert.Empty(_world.Node.ConditionWrites);
        Assert.Empty(_world.Node.Reports);

        await loop.TurnAsync(CancellationToken.None);

        Assert.Single(_world.Node.Reports);
        Assert.Equal("UpToDate", Assert.Single(_world.Node.ConditionWrites)[0].Reason);
        Assert.Equal(1, _world.Node.ReportsWithConditions);
    }

    [Fact]
    public async Task A_phase_change_without_a_cordon_writes_its_report_and_its_conditions_in_one_request()
    {
        _world.Node.Annotate("nodedaemon.io/desired-image", "quay.io/example/os@" + s_new);
        await SettleAsync(_world.Loop());
        _world.Host.Reboot();
        _world.BootId = "boot-2";
        await SettleAsync(_world.Loop());

        // Staging and Rebooting ride with their reports; the uncordon goes through nodes (the status subresource keeps
        // the old spec), so its Done (Progressing turns False) follows in a write of its own. The cordon's needs none.
        var alone = _world.Node.ConditionWrites.Count - _world.Node.ReportsWithConditions;
        Assert.Equal((2, 1), (_world.Node.ReportsWithConditions, alone));
    }

    [Fact]
    public async Task The_cordons_Draining_reason_rides_on_the_drains_progress_line_not_on_a_write_of_its_own()
    {
        _world.Node.Annotate("nodedaemon.io/desired-image", "quay.io/example/os@" + s_new);
        // Every progress line is written (progressIntervalSeconds 0): the drain's first line is the phase's next write.
        var loop = _world.Loop(tuning: new LoopTuning(ProgressReportInterval: TimeSpan.Zero));
        await SettleAsync(loop);

        var draining = Assert.Single(_world.Node.ConditionWrites, w => w[0].Reason == "Draining");
        Assert.Equal("True", draining[0].Status);
        Assert.Contains(_world.Node.Reports, r => r is { Phase: AgentState.Draining, Message: "draining: 1/1 pods evicted" });
        // Staging, Draining and Rebooting each rode on a report: no status write of its own until the uncordon.
        Assert.Equal(_world.Node.ConditionWrites.Count, _world.Node.ReportsWithConditions);
    }

    public void Dispose() => _world.Dispose();
}
