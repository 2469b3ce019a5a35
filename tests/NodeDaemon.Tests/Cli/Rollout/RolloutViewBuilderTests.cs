using System.Text.Json.Nodes;
using NodeDaemon.Cli.Rollout;
using NodeDaemon.Core.Options;

namespace NodeDaemon.Tests.Cli.Rollout;

/// <summary>The pure rules of <c>rollout status</c>, as tables: listed Nodes and Leases and a time in, the view out.</summary>
public sealed class RolloutViewBuilderTests
{
    internal const string Old = "quay.io/example/os@sha256:1111111111111111111111111111111111111111111111111111111111111111";
    internal const string New = "quay.io/example/os@sha256:2222222222222222222222222222222222222222222222222222222222222222";
    internal const string NewDigest = "sha256:2222222222222222222222222222222222222222222222222222222222222222";
    internal static readonly DateTimeOffset Now = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);

    internal static RolloutSettings Settings(int haltAfter = 1) => RolloutSettings.From(new NodeDaemonOptions
    {
        Fleet = new FleetOptions { Enabled = true, PoolLabel = "nodedaemon.io/pool", HaltAfterFailures = haltAfter, LeaseNamespace = "nodedaemon" },
    });

    /// <summary>A node of pool <paramref name="pool"/> with the given protocol annotations (null: absent).</summary>
    internal static JsonObject Node(string name, string? desired = New, string current = Old, string state = "Working", string phase = "Idle",
        string reason = "", bool paused = false, string pool = "workers", string? rejected = null, string? previous = null, DateTimeOffset? started = null)
    {
        var annotations = new JsonObject
        {
            ["nodedaemon.io/current-image"] = current,
            ["nodedaemon.io/state"] = state,
            ["nodedaemon.io/phase"] = phase,
            ["nodedaemon.io/reason"] = reason,
        };
        if (desired is not null)
        {
            annotations["nodedaemon.io/desired-image"] = desired;
        }

        if (paused)
        {
            annotations["nodedaemon.io/paused"] = "True";
        }

        if (rejected is not null)
        {
            annotations["nodedaemon.io/rejected-image"] = rejected;
        }

        if (previous is not null)
        {
            annotations["nodedaemon.io/rollout-previous-image"] = previous;
        }

        if (started is { } at)
        {
            annotations["nodedaemon.io/rollout-started-at"] = at.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        }

        return new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["resourceVersion"] = "7",
                ["labels"] = new JsonObject { ["nodedaemon.io/pool"] = pool },
                ["annotations"] = annotations,
            },
        };
    }

    internal static JsonObject Lease(string name, string holder, DateTimeOffset? acquired = null) => new()
    {
        ["metadata"] = new JsonObject { ["name"] = name, ["resourceVersion"] = "3", ["annotations"] = new JsonObject { ["nodedaemon.io/desired-digest"] = NewDigest } },
        ["spec"] = new JsonObject
        {
            ["holderIdentity"] = holder,
            ["acquireTime"] = acquired?.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture),
        },
    };

    public static TheoryData<string, JsonObject, string> Buckets => new()
    {
        { "done on the desired digest", Node("a", current: New, state: "Done"), "Done" },
        { "done, but on the old image: annotated, not started", Node("a", state: "Done"), "Waiting" },
        { "nothing desired", Node("a", desired: null, state: "Done"), "Done" },
        { "staging", Node("a", phase: "Staging"), "Staging" },
        { "staged, its window closed", Node("a", phase: "Staged"), "Waiting" },
        { "waiting for a slot", Node("a", phase: "WaitingForSlot"), "Waiting" },
        { "draining", Node("a", phase: "Draining"), "Draining" },
        { "rebooting", Node("a", phase: "Rebooting"), "Rebooting" },
        { "verifying", Node("a", phase: "Verifying"), "Verifying" },
        { "degraded", Node("a", state: "Degraded", phase: "Idle", reason: "pull failed"), "Degraded" },
        { "degraded and paused: degraded first", Node("a", state: "Degraded", paused: true), "Degraded" },
        { "paused before it is done", Node("a", phase: "Staged", paused: true), "Paused" },
        { "paused but already done", Node("a", current: New, state: "Done", paused: true), "Done" },
    };

    [Theory]
    [MemberData(nameof(Buckets))]
    public void Each_node_falls_in_one_bucket(string why, JsonObject node, string bucket)
    {
        var expected = Enum.Parse<NodeProgress>(bucket);
        var view = RolloutViewBuilder.Build([node], [], Settings(), Now);
        Assert.True(expected == view.Pools.Single().NodeProgress.Single().Progress, why);
        Assert.Equal(1, view.Pools.Single().Counts[expected.ToString()]);
    }

    public static TheoryData<string, JsonObject[], int, string, string[]> Outcomes => new()
    {
        { "every node done", [Node("a", current: New, state: "Done"), Node("b", current: New, state: "Done")], 1, "Converged", [] },
        { "one draining", [Node("a", current: New, state: "Done"), Node("b", phase: "Draining")], 1, "Progressing", [] },
        { "halted at one failure", [Node("a", state: "Degraded", reason: "booted sha256:1 instead\nmore"), Node("b", phase: "WaitingForSlot")], 1,
            "Failed", ["a"] },
        { "one failure of two allowed: not halted, others go on",
            [Node("a", state: "Degraded", reason: "x"), Node("b", phase: "WaitingForSlot")], 2, "Progressing", [] },
        { "two of two: halted, both named",
            [Node("a", state: "Degraded", reason: "x"), Node("b", state: "Degraded", reason: "y"), Node("c", phase: "WaitingForSlot")], 2,
            "Failed", ["a", "b"] },
        { "a failure on another image does not halt this one",
            [Node("a", desired: Old, current: New, state: "Degraded", reason: "x"), Node("b", phase: "WaitingForSlot")], 1, "Progressing", [] },
        { "nothing left moving but a Degraded node below the halt", [Node("a", state: "Degraded", reason: "x"), Node("b", current: New, state: "Done")], 2,
            "Failed", [] },
        { "a paused node keeps the pool from converging", [Node("a", current: New, state: "Done"), Node("b", paused: true)], 1, "Progressing", [] },
    };

    [Theory]
    [MemberData(nameof(Outcomes))]
    public void The_pool_converges_progresses_or_fails(string why, JsonObject[] nodes, int haltAfter, string outcome, string[] halted)
    {
        var expected = Enum.Parse<RolloutOutcome>(outcome);
        var pool = RolloutViewBuilder.Build(nodes, [], Settings(haltAfter), Now).Pools.Single();
        Assert.True(expected == pool.Outcome, $"{why}: {pool.Outcome}");
        Assert.Equal(halted, pool.Halt?.Failed.Select(f => f.Node) ?? []);
        if (pool.Halt is { } halt)
        {
            Assert.Equal(NewDigest, halt.Digest);
            // The banner's reason is the first line only.
            Assert.DoesNotContain(halt.Failed, f => f.Reason.Contains('\n', StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Slot_holders_show_their_phase_and_how_long_they_held_the_slot()
    {
        var pool = RolloutViewBuilder.Build(
            [Node("a", phase: "Draining"), Node("b", phase: "Rebooting"), Node("c", phase: "WaitingForSlot")],
            [Lease("nodedaemon-workers-0", "a", Now.AddSeconds(-90)), Lease("nodedaemon-workers-1", "b", Now.AddMinutes(-5)), Lease("nodedaemon-workers-2", ""),
                Lease("nodedaemon-other-0", "z", Now), Lease("unrelated", "a", Now)],
            Settings(), Now).Pools.Single();
        Assert.Equal([("a", "Draining", 90.0), ("b", "Rebooting", 300.0)], pool.SlotHolders.Select(h => (h.Node, h.Phase, h.HeldSeconds!.Value)));
    }

    [Fact]
    public void Rejected_images_are_listed_with_their_nodes()
    {
        var pool = RolloutViewBuilder.Build(
            [Node("a", rejected: New), Node("b", rejected: New), Node("c")], [], Settings(), Now).Pools.Single();
        Assert.Equal([(New, "a,b")], pool.RejectedImages.Select(r => (r.Image, string.Join(',', r.Nodes))));
    }

    /// <summary>A slot Lease whose holds annotation lists (node, digest, minutes before now acquired, minutes before now released).</summary>
    internal static JsonObject LeaseWithHolds(string name, string holder, DateTimeOffset? acquired, params (string Node, string Digest, double From, double To)[] holds)
    {
        var lease = Lease(name, holder, acquired);
        lease["metadata"]!["annotations"]!["nodedaemon.io/pool-slots"] = "2";
        lease["metadata"]!["annotations"]!["nodedaemon.io/slot-holds"] = string.Join('\n', holds.Select(h =>
            new Kubernetes.Fleet.SlotHold(h.Node, h.Digest, Now.AddMinutes(-h.From), Now.AddMinutes(-h.To)).ToString()));
        return lease;
    }

    public static TheoryData<string, JsonObject[], JsonObject[], double?> Etas => new()
    {
        { "no hold finished yet: no pace to go by",
            [Node("a", phase: "Draining"), Node("b", phase: "WaitingForSlot")], [LeaseWithHolds("nodedaemon-workers-0", "a", Now.AddMinutes(-3))], null },
        // Two slots (the Leases say so), holds of 10 and 12 min: median 11. a is 3 min in (8 left), slot 1 is free: b goes now
        // (11), c after a (8 + 11 = 19).
        { "holds on the target digest, a holder, two to go",
            [Node("a", phase: "Draining"), Node("b", phase: "WaitingForSlot"), Node("c", phase: "Staged"), Node("d", current: New, state: "Done"),
             Node("e", current: New, state: "Done")],
            [LeaseWithHolds("nodedaemon-workers-0", "a", Now.AddMinutes(-3), ("d", NewDigest, 13, 3)), LeaseWithHolds("nodedaemon-workers-1", "", null, ("e", NewDigest, 14, 2))],
            19 },
        { "holds on another digest (an earlier rollout) do not count",
            [Node("a", phase: "WaitingForSlot")], [LeaseWithHolds("nodedaemon-workers-0", "", null, ("x", "sha256:" + new string('9', 64), 20, 10))], null },
        { "holds before rollout start do not count",
            [Node("a", phase: "WaitingForSlot", started: Now.AddMinutes(-5))], [LeaseWithHolds("nodedaemon-workers-0", "", null, ("x", NewDigest, 20, 10))], null },
        { "degraded and paused nodes are not waited for",
            [Node("a", state: "Degraded", reason: "x"), Node("b", paused: true), Node("c", current: New, state: "Done")],
            [LeaseWithHolds("nodedaemon-workers-0", "", null, ("c", NewDigest, 20, 10))], 0 },
    };

    [Theory]
    [MemberData(nameof(Etas))]
    public void The_eta_goes_by_the_slot_holds_of_this_rollout(string why, JsonObject[] nodes, JsonObject[] leases, double? minutes)
    {
        var pool = RolloutViewBuilder.Build(nodes, leases, Settings(haltAfter: 2), Now).Pools.Single();
        Assert.True(minutes == pool.EtaSeconds / 60, $"{why}: {pool.EtaSeconds}");
    }

    [Fact]
    public void Waiting_nodes_of_a_halted_pool_are_shown_waiting_on_the_halt()
    {
        var view = RolloutViewBuilder.Build(
            [RolloutExplainerTests.With(Node("a", phase: "WaitingForSlot"), "nodedaemon.io/message", "waiting for a slot: all 1 slots are held"),
             Node("b", phase: "Staged"), Node("c", state: "Degraded", reason: "x"), Node("e", desired: Old, phase: "WaitingForSlot")],
            [], Settings(), Now);

        var pool = view.Pools.Single();
        Assert.Equal(["a", "b"], pool.NodeProgress.Where(n => n.Note.Contains("halt", StringComparison.Ordinal)).Select(n => n.Node));
        Assert.Contains("  waiting on the halt, not on a slot (none is given out for this image): a, b", RolloutRenderer.Lines(view));
    }

    [Fact]
    public void One_block_per_pool_and_a_pool_filter()
    {
        JsonObject[] nodes = [Node("a", pool: "infra"), Node("b"), Node("c", pool: "workers")];
        Assert.Equal(["infra", "workers"], RolloutViewBuilder.Build(nodes, [], Settings(), Now).Pools.Select(p => p.Pool));
        Assert.Equal([2], RolloutViewBuilder.Build(nodes, [], Settings(), Now, "workers").Pools.Select(p => p.Nodes));
    }

    [Fact]
    public void The_text_has_the_bar_the_counts_the_holders_and_the_halt_banner()
    {
        var view = RolloutViewBuilder.Build(
            [Node("a", current: New, state: "Done"), Node("b", state: "Degraded", reason: "health gate failed: kubelet not Ready"), Node("c", phase: "WaitingForSlot")],
            [Lease("nodedaemon-workers-0", "c", Now.AddSeconds(-62))], Settings(), Now);
        var text = RolloutRenderer.Text(view);
        Assert.Contains("pool nodedaemon.io/pool=workers: 1/3 Done [########----------------] 33%  FAILED", text, StringComparison.Ordinal);
        Assert.Contains("Done 1  Staging 0  Waiting 1  Draining 0  Rebooting 0  Verifying 0  Degraded 1  Paused 0", text, StringComparison.Ordinal);
        Assert.Contains("slots: c WaitingForSlot for 1m02s", text, StringComparison.Ordinal);
        Assert.Contains($"HALTED on {NewDigest}: 1 node Degraded", text, StringComparison.Ordinal);
        Assert.Contains("    b: health gate failed: kubelet not Ready", text, StringComparison.Ordinal);
    }
}
