using NodeDaemon.Sim.Harness;
using System.Text;
using NodeDaemon.Tests.Logging;
using NodeDaemon.Tests.EndToEnd;
using NodeDaemon.Tests.Support;
using NodeDaemon.Testing;

namespace NodeDaemon.Tests.Systemd;

/// <summary>The real daemon process against a NOTIFY_SOCKET: READY, STATUS, WATCHDOG, STOPPING, as systemd sees them.</summary>
public sealed class SdNotifyProtocolTests : IDisposable
{
    private readonly JournalSocketListener _notify = new();
    private readonly DirectoryInfo _config = Directory.CreateTempSubdirectory("nodedaemon-config-");

    [Fact]
    public async Task Run_reports_ready_status_and_feeds_the_watchdog_then_stops_cleanly_on_SIGTERM()
    {
        using var notify = new NotifyCollector();
        await using var node = await SimulatedNode.StartAsync();
        node.StartDaemon(notify.SocketPath, new Dictionary<string, string> { ["WATCHDOG_USEC"] = "3000000" });

        // The first turn's STATUS comes when the turn ends, which on a loaded machine can be after the third feed.
        await node.WaitUntilAsync(() => notify.Messages.Contains("READY=1") && notify.Messages.Count(m => m == "WATCHDOG=1") >= 3
            && notify.Messages.Any(m => m.StartsWith("STATUS=Idle", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(60), "READY, three watchdog feeds and the first turn's status");
        node.Daemon.Terminate();

        Assert.Equal(0, node.Daemon.WaitForExit(TimeSpan.FromSeconds(20)));
        Assert.Contains("STOPPING=1", notify.Messages);
        Assert.Contains(notify.Messages, m => m.StartsWith("STATUS=Idle: no desired image", StringComparison.Ordinal));
        Assert.Contains("<6>nodedaemon ", node.Daemon.Stderr, StringComparison.Ordinal);
        Assert.Contains(SimulatedNode.NodeName, node.Daemon.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("withholding the watchdog", node.Daemon.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_without_a_reachable_cluster_retries_its_turns_and_stays_up()
    {
        // An API server that does not answer is the world failing, not a bug: the daemon keeps its process (watch, slot
        // view, report memory), retries the turn after a backoff and exits only when stopped.
        File.WriteAllText(Path.Combine(_config.FullName, "10-host.json"), """{ "backend": "rpmOstree", "nodeName": "worker-1" }""");
        using var daemon = TestDaemon.Start(["run", "--config-dir", _config.FullName], new Dictionary<string, string>
        {
            ["NOTIFY_SOCKET"] = _notify.SocketPath,
            ["DBUS_SYSTEM_BUS_ADDRESS"] = "unix:path=/nonexistent/bus.sock",
        });

        await Poll.UntilAsync(() => daemon.Stderr.Contains("Turn failed (1 in a row)", StringComparison.Ordinal) || daemon.HasExited,
            "the first failed turn", TimeSpan.FromSeconds(90));

        Assert.False(daemon.HasExited, $"the daemon exited ({daemon.ExitCode}): {daemon.Stderr}");
        Assert.Contains("Turn failed (1 in a row)", daemon.Stderr, StringComparison.Ordinal);
        daemon.Terminate();
        Assert.NotNull(daemon.WaitForExit(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public void Run_with_a_bad_configuration_exits_2_before_READY()
    {
        File.WriteAllText(Path.Combine(_config.FullName, "10-bad.json"), """{ "drain": { "concurrency": 0 }, "stagingg": {} }""");
        using var daemon = TestDaemon.Start(["run", "--config-dir", _config.FullName], new Dictionary<string, string>
        {
            ["NOTIFY_SOCKET"] = _notify.SocketPath,
        });

        Assert.Equal(2, daemon.WaitForExit(TimeSpan.FromSeconds(30)));
        Assert.Contains("drain.concurrency must be between 1 and 64, got 0", daemon.Stderr, StringComparison.Ordinal);
        Assert.Contains("unknown key \"stagingg\"", daemon.Stderr, StringComparison.Ordinal);
        Assert.False(_notify.HasPending, "a daemon that refused to start sent a notification");
    }

    public void Dispose()
    {
        _notify.Dispose();
        _config.Delete(recursive: true);
    }
}
