using System.Globalization;
using System.Text.Json.Nodes;
using NodeDaemon.Kubernetes.Fleet;

namespace NodeDaemon.Kubernetes.Tests.Fleet;

/// <summary>What a staging slot request does with the staging Leases it listed (<see cref="StagingPlanner"/>), as a table; and the Lease names.</summary>
public sealed class StagingPlannerTableTests
{
    private static readonly DateTimeOffset s_now = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan s_duration = TimeSpan.FromMinutes(2);

    private static StagingLease Lease(int index, string holder, TimeSpan? renewedAgo = null) =>
        new(StagingLeaseNames.For("workers", index), index, "7", holder, holder.Length == 0 ? null : s_now - (renewedAgo ?? TimeSpan.FromSeconds(10)), s_duration, new JsonObject());

    /// <summary>One row: the Leases listed, the limit, and the step expected (its kind, the index taken, the expired holder).</summary>
    private sealed record Row(string Name, StagingLease[] Leases, int Slots, string Expected, int? Index = null, string? ExpiredFrom = null)
    {
        public override string ToString() => Name;
    }

    private static readonly Row[] s_rows =
    [
        new("nothing listed: create slot 0 of 1", [], 1, "Take", 0),
        new("our own Lease: renew it, whatever the others", [Lease(0, "node-b"), Lease(1, "node-a")], 2, "Renew"),
        new("our own Lease above a lowered limit: still ours", [Lease(0, "node-b"), Lease(3, "node-a")], 1, "Renew"),
        new("all held and renewed: full", [Lease(0, "node-b"), Lease(1, "node-c")], 2, "Full"),
        new("a free Lease: take it", [Lease(0, "node-b"), Lease(1, "")], 2, "Take", 1),
        new("a missing index: create it", [Lease(0, "node-b")], 2, "Take", 1),
        new("an expired holder (crashed, killed, gone): take it over", [Lease(0, "node-b", TimeSpan.FromMinutes(3)), Lease(1, "node-c")], 2, "Take", 0, "node-b"),
        new("renewed just inside its duration: still held", [Lease(0, "node-b", TimeSpan.FromSeconds(119)), Lease(1, "node-c")], 2, "Full"),
        new("held above a lowered limit counts against it", [Lease(0, "node-b"), Lease(5, "node-c")], 2, "Full"),
        new("free Leases above the limit are not taken", [Lease(0, "node-b"), Lease(1, "")], 1, "Full"),
    ];

    public static TheoryData<string> Rows => new(s_rows.Select(r => r.Name));

    [Theory]
    [MemberData(nameof(Rows))]
    public void Chooses(string name)
    {
        var row = s_rows.Single(r => r.Name == name);
        var step = StagingPlanner.Choose(row.Leases, "node-a", row.Slots, s_now, spread: 0);

        Assert.Equal(row.Expected, step.GetType().Name);
        if (step is StagingStep.Take take)
        {
            Assert.Equal(row.Index, take.Index);
            Assert.Equal(row.ExpiredFrom, take.ExpiredFrom);
        }
    }

    [Theory]
    // Leases as "index:holder[:renewed minutes ago]", the limit, the open indices a releaser (node-a) hands on.
    [InlineData("", 2, "")]
    [InlineData("0:node-b,1:", 2, "1")]
    [InlineData("0:,1:,2:", 3, "0,1,2")]
    [InlineData("0:node-b:3,1:node-c", 2, "0")] // expired: its holder stopped renewing
    [InlineData("0:node-b:1,1:node-c", 2, "")] // renewed within its duration: held
    [InlineData("0:node-b,1:,2:node-c,5:node-d", 3, "")] // the live one above a lowered limit counts: full
    [InlineData("0:node-b,1:,2:", 2, "1")] // room for one only
    [InlineData("0:,1:,4:", 2, "0,1")] // none at or above the limit
    [InlineData("0:node-a:3,1:", 2, "1")] // never one naming the releaser
    public void Open_slots_are_handed_on_only_while_fewer_than_the_limit_are_live(string listed, int slots, string expected)
    {
        var leases = listed.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(entry => entry.Split(':'))
            .Select(p => Lease(int.Parse(p[0], CultureInfo.InvariantCulture), p[1], p.Length > 2 ? TimeSpan.FromMinutes(int.Parse(p[2], CultureInfo.InvariantCulture)) : null))
            .ToList();

        var open = StagingPlanner.Open(leases, "node-a", slots, s_now);

        Assert.Equal(expected, string.Join(',', open.Select(l => l.Index)));
        Assert.True(leases.Count(l => l.IsLive(s_now)) + open.Count <= Math.Max(slots, leases.Count(l => l.IsLive(s_now))));
    }

    [Fact]
    public void Nodes_asking_at_once_spread_over_the_open_slots()
    {
        var taken = Enumerable.Range(0, 8).Select(spread => StagingPlanner.Choose([], "node-a", 4, s_now, spread)).OfType<StagingStep.Take>().Select(t => t.Index).ToHashSet();

        Assert.Equal([0, 1, 2, 3], taken.Order());
    }

    [Theory]
    [InlineData("workers", 0, "nodedaemon-workers-s0")]
    [InlineData("workers", 9999, "nodedaemon-workers-s9999")]
    public void Names_are_the_pool_segment_and_s_and_the_index(string pool, int index, string name)
    {
        Assert.Equal(name, StagingLeaseNames.For(pool, index));
        Assert.Equal(index, StagingLeaseNames.IndexOf(name, pool));
        Assert.True(name.Length <= SlotLeaseNames.MaxLength);
    }

    [Theory]
    [InlineData("nodedaemon-workers-0")]
    [InlineData("nodedaemon-workers-s")]
    [InlineData("nodedaemon-workers-s01")]
    [InlineData("nodedaemon-workers-s-1")]
    [InlineData("nodedaemon-gpu-s0")]
    public void Other_names_are_no_staging_slot_of_the_pool(string name) => Assert.Null(StagingLeaseNames.IndexOf(name, "workers"));

    [Fact]
    public void A_staging_Lease_is_never_read_as_a_disruption_slot_and_fits_for_the_longest_pool()
    {
        var pool = new string('p', 80);
        var name = StagingLeaseNames.For(pool, StagingLeaseNames.MaxSlots - 1);

        Assert.True(name.Length <= SlotLeaseNames.MaxLength, name);
        Assert.Null(SlotLeaseNames.IndexOf(StagingLeaseNames.For("workers", 3), "workers"));
        Assert.Null(StagingLeaseNames.IndexOf(SlotLeaseNames.For("workers", 3), "workers"));
    }
}
