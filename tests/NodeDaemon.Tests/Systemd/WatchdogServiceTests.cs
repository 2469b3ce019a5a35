using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using NodeDaemon.Systemd;

namespace NodeDaemon.Tests.Systemd;

/// <summary>The watchdog is fed only while the agent loop beats.</summary>
public sealed class WatchdogServiceTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 0, 0, 0, TimeSpan.Zero));
    private readonly RecordingNotifier _notifier = new();

    private WatchdogService Create(AgentHeartbeat heartbeat) =>
        new(_notifier, heartbeat, new WatchdogSettings(TimeSpan.FromSeconds(20)), _time, NullLogger<WatchdogService>.Instance);

    [Fact]
    public void Feeds_while_the_loop_beats()
    {
        var heartbeat = new AgentHeartbeat(_time);
        var watchdog = Create(heartbeat);

        for (var i = 0; i < 5; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(10));
            heartbeat.Beat();
            Assert.True(watchdog.Tick());
        }

        Assert.Equal(Enumerable.Repeat("WATCHDOG=1", 5), _notifier.Sent);
    }

    [Fact]
    public void Withholds_when_the_loop_is_stuck_and_resumes_when_it_beats_again()
    {
        var heartbeat = new AgentHeartbeat(_time);
        var watchdog = Create(heartbeat);

        _time.Advance(TimeSpan.FromSeconds(19));
        Assert.True(watchdog.Tick());
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.False(watchdog.Tick());
        Assert.False(watchdog.Tick());

        heartbeat.Beat();
        Assert.True(watchdog.Tick());
        Assert.Equal(["WATCHDOG=1", "WATCHDOG=1"], _notifier.Sent);
    }

    [Fact]
    public async Task Runs_at_half_the_timeout_on_the_injected_clock()
    {
        var heartbeat = new AgentHeartbeat(_time);
        using var watchdog = Create(heartbeat);

        await watchdog.StartAsync(CancellationToken.None);
        Assert.True(_notifier.WaitFor(1));
        for (var i = 2; i <= 4; i++)
        {
            heartbeat.Beat();
            _time.Advance(TimeSpan.FromSeconds(9));
            Assert.Equal(i - 1, _notifier.Sent.Count);
            _time.Advance(TimeSpan.FromSeconds(1));
            // One at start, then one per 10 s interval (half the 20 s timeout), not before.
            Assert.True(_notifier.WaitFor(i), $"no feed {i} after {i - 1} intervals");
        }

        await watchdog.StopAsync(CancellationToken.None);
        Assert.Equal(4, _notifier.Sent.Count);
    }

    [Fact]
    public async Task Does_nothing_without_a_watchdog()
    {
        using var watchdog = new WatchdogService(_notifier, new AgentHeartbeat(_time), new WatchdogSettings((TimeSpan?)null), _time,
            NullLogger<WatchdogService>.Instance);

        await watchdog.StartAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(5));
        await watchdog.StopAsync(CancellationToken.None);

        Assert.Empty(_notifier.Sent);
    }
}
