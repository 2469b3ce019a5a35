using NodeDaemon.Core.Agent;
using NodeDaemon.Core.Fleet;
using NodeDaemon.Core.Images;
using static NodeDaemon.Core.Tests.Agent.Build;

namespace NodeDaemon.Core.Tests.Agent;

/// <summary>What the node knows about its slot after each answer and each piece of news: one named row per rule.</summary>
public sealed class SlotViewTableTests
{
    /// <summary>One row: a named situation, the view before, what happened, and the view after.</summary>
    public sealed record Row(string Name, SlotView Before, Func<SlotView, SlotView> Happens, SlotView After)
    {
        public override string ToString() => Name;
    }

    private static readonly SlotMember s_me = new("worker-1", Pool);
    private static readonly SlotMember s_relabelled = new("worker-1", "other-pool");
    private static readonly Digest s_d2 = Digest.Parse(D2);
    private static readonly Digest s_d3 = Digest.Parse(D3);
    private static readonly DateTimeOffset s_retryAt = Now.AddMinutes(45);
    private static readonly SlotRefusal s_full = new("waiting for a slot: the pool's one slot is held", s_d2, s_retryAt);
    private static readonly SlotView s_holding = new(new HeldSlot("slot-0", s_d3), s_me);
    private static readonly SlotView s_refused = new(Refusal: s_full);

    private static readonly Row[] s_rows =
    [
        new("a slot taken names the requested digest, and a refusal before is over", s_refused,
            _ => SlotView.Answered(new SlotAnswer.Acquired("slot-1"), s_me, s_d2, s_retryAt), new(new HeldSlot("slot-1", s_d2), s_me)),
        new("a slot held already now names the requested digest", s_holding,
            _ => SlotView.Answered(new SlotAnswer.Held("slot-0"), s_me, s_d2, s_retryAt), new(new HeldSlot("slot-0", s_d2), s_me)),
        new("a slot taken after relabelling is held in the new pool", s_holding,
            _ => SlotView.Answered(new SlotAnswer.Acquired("slot-0"), s_relabelled, s_d2, s_retryAt), new(new HeldSlot("slot-0", s_d2), s_relabelled)),
        new("a full pool: no slot naming us, whatever we thought, and ask again at the recheck", s_holding,
            _ => SlotView.Answered(new SlotAnswer.Full(["worker-0"]), s_me, s_d2, s_retryAt), s_refused),
        new("a halted pool: no slot, the halt's words, ask again at the recheck", SlotView.None,
            _ => SlotView.Answered(new SlotAnswer.Halted(["worker-0", "worker-2"], D2), s_me, s_d2, s_retryAt),
            new(Refusal: new("pool halted: 2 nodes Degraded on " + D2 + ": worker-0, worker-2", s_d2, s_retryAt))),
        new("a slot handed to us while refused: held, not confirmed, and the wait ends now", s_refused,
            v => v.After(new SlotChance("slot-1", HandedToUs: true), s_me, Now), new(new HeldSlot("slot-1", null), s_me, s_full with { RetryAt = Now })),
        new("a slot freed while refused: nothing held, the wait ends now", s_refused,
            v => v.After(new SlotChance("slot-1", HandedToUs: false), s_me, Now), new(Refusal: s_full with { RetryAt = Now })),
        new("a second slot handed to a holder: it is what the next request passes on", s_holding,
            v => v.After(new SlotChance("slot-1", HandedToUs: true), s_me, Now), new(new HeldSlot("slot-1", null), s_me)),
        new("a slot freed while holding one: nothing changes", s_holding,
            v => v.After(new SlotChance("slot-1", HandedToUs: false), s_me, Now), s_holding),
        new("found held at start: the digest is what the cluster confirmed", SlotView.None,
            _ => SlotView.Found(s_me, new HeldSlot("slot-0", null)), new(new HeldSlot("slot-0", null), s_me)),
    ];

    public static TheoryData<Row> Rows() => [.. s_rows];

    [Theory]
    [MemberData(nameof(Rows))]
    public void Slot_view_table(Row row)
    {
        Assert.Equal(row.After, row.Happens(row.Before));
    }

    [Theory]
    [InlineData(0, 30)]
    [InlineData(0.5, 45)]
    [InlineData(1, 60)]
    [InlineData(7, 60)]     // never more than twice the recheck, whatever the jitter source says
    [InlineData(-1, 30)]
    public void A_refused_node_asks_again_after_one_to_two_rechecks(double jitter, int minutes)
    {
        Assert.Equal(Now.AddMinutes(minutes), SlotView.RetryAt(Now, TimeSpan.FromMinutes(30), jitter));
    }
}
