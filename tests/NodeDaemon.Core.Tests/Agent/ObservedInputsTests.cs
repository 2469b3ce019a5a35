using NodeDaemon.Core.Agent;
using NodeDaemon.Core.Cluster;
using NodeDaemon.Core.Host;
using NodeDaemon.Core.Maintenance;
using NodeDaemon.Core.Options;
using static NodeDaemon.Core.Tests.Agent.Build;

namespace NodeDaemon.Core.Tests.Agent;

/// <summary>The inputs the loop and <c>explain</c> build from what they observed: the host's booted and staged deployments, the boot, and the window.</summary>
public sealed class ObservedInputsTests
{
    private static readonly NodeView s_node = new(Pull(D2), false, false, false, null);

    [Theory]
    // A window from 02:00 for 60 minutes every day (UTC); Now is 12:00.
    [InlineData("02:00", false, "2026-11-26T02:00:00+00:00")]
    [InlineData("11:30", true, null)]
    [InlineData(null, true, null)]
    public void The_window_is_open_or_says_when_it_opens_next(string? start, bool open, string? next)
    {
        var schedule = MaintenanceSchedule.From(new MaintenanceOptions
        {
            TimeZone = "UTC",
            Windows = start is null ? [] : [new MaintenanceWindowOptions { Days = [], Start = start, LengthMinutes = 60 }],
        });
        var staged = Deployment(D2);
        var host = new HostStatus(Deployment(D1), staged, Deployment(D3), null, []);

        var inputs = ObservedInputs.From(s_node, host, BootId, AgentRecord.Empty, new NodeDaemonOptions(), schedule, Now);

        Assert.Equal((open, next), (inputs.WindowOpen, inputs.NextWindowOpening?.ToString("yyyy-MM-ddTHH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(new HostView(host.Booted, staged, BootId, host.Rollback), inputs.Host);
        Assert.Equal((s_node, AgentRecord.Empty, Now), (inputs.Node, inputs.Record, inputs.Now));
    }
}
