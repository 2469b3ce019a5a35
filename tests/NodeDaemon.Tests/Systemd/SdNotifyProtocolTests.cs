using System.Text;
using NodeDaemon.Tests.Logging;
using NodeDaemon.Tests.Support;

namespace NodeDaemon.Tests.Systemd;

/// <summary>The real daemon process against a NOTIFY_SOCKET: READY, STATUS, WATCHDOG, STOPPING, as systemd sees them.</summary>
public sealed class SdNotifyProtocolTests : IDisposable
{
    private readonly JournalSocketListener _notify = new();
    private readonly DirectoryInfo _config = Directory.CreateTempSubdirectory("nodedaemon-config-");

    [Fact]
    public void Run_reports_ready_status_and_feeds_the_watchdog_then_stops_cleanly_on_SIGTERM()
    {
        using var daemon = DaemonProcess.Start(
            ["run", "--config-dir", _config.FullName],
            new Dictionary<string, string>
            {
                ["NOTIFY_SOCKET"] = _notify.SocketPath,
                ["WATCHDOG_USEC"] = "1000000",
                ["NODE_NAME"] = "worker-7",
            });

        var received = new List<string>();
        while (!received.Contains("READY=1") || received.Count(m => m == "WATCHDOG=1") < 3)
        {
            received.Add(Encoding.UTF8.GetString(_notify.Receive()));
            Assert.True(received.Count < 50, "too many notifications without READY and three watchdog feeds: " + string.Join(" | ", received));
        }

        daemon.Terminate();
        while (!received.Contains("STOPPING=1"))
        {
            received.Add(Encoding.UTF8.GetString(_notify.Receive()));
        }

        Assert.Equal(0, daemon.WaitForExit(TimeSpan.FromSeconds(20)));
        Assert.Contains(received, m => m.StartsWith("STATUS=Idle: ", StringComparison.Ordinal));
        Assert.Contains("<6>nodedaemon ", daemon.Stderr, StringComparison.Ordinal);
        Assert.Contains("worker-7", daemon.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("withholding the watchdog", daemon.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_with_a_bad_configuration_exits_2_before_READY()
    {
        File.WriteAllText(Path.Combine(_config.FullName, "10-bad.json"), """{ "drain": { "concurrency": 0 }, "stagingg": {} }""");
        using var daemon = DaemonProcess.Start(["run", "--config-dir", _config.FullName], new Dictionary<string, string>
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
