using System.Text.RegularExpressions;
using NodeDaemon.Kubernetes.Fleet;

namespace NodeDaemon.Kubernetes.Tests.Fleet;

public sealed partial class SlotLeaseNamesTests
{
    [Theory]
    [InlineData("workers", 0, "nodedaemon-workers-0")]
    [InlineData("gpu-a100", 12, "nodedaemon-gpu-a100-12")]
    [InlineData("", 0, "nodedaemon-e3b0c442-0")]
    [InlineData("Workers", 1, "nodedaemon-workers-7a1ec9fe-1")]
    [InlineData("pool.v2_x", 0, "nodedaemon-pool-v2-x-a1af31e8-0")]
    [InlineData("-_.", 0, "nodedaemon-1ed0d4fd-0")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 99999, "nodedaemon-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-99999")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 99999, "nodedaemon-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-11eaed93-99999")]
    public void Names_are_the_pool_when_it_is_a_short_lower_case_label_else_sanitized_with_a_hash(string pool, int index, string expected)
    {
        var name = SlotLeaseNames.For(pool, index);

        Assert.Equal(expected, name);
        Assert.Matches(DnsLabel(), name);
        Assert.InRange(name.Length, 1, 63);
        Assert.Equal(index, SlotLeaseNames.IndexOf(name, pool));
    }

    [Fact]
    public void The_longest_pool_value_still_fits_a_label()
    {
        var name = SlotLeaseNames.For(new string('A', 63), 99999);

        Assert.Equal(63, name.Length);
        Assert.Matches(DnsLabel(), name);
    }

    [Theory]
    [InlineData("nodedaemon-workers-01", "workers")]
    [InlineData("nodedaemon-workers--1", "workers")]
    [InlineData("nodedaemon-workers-", "workers")]
    [InlineData("nodedaemon-workers-a-0", "workers")]
    [InlineData("nodedaemon-workers-0", "Workers")]
    [InlineData("nodedaemon-workers-123456", "workers")]
    [InlineData("kube-scheduler", "workers")]
    public void Other_names_are_not_slots_of_the_pool(string name, string pool) =>
        Assert.Null(SlotLeaseNames.IndexOf(name, pool));

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex DnsLabel();
}
