using Microsoft.Extensions.Time.Testing;
using NodeDaemon.Agent;
using NodeDaemon.Core.Agent;
using NodeDaemon.Core.Cluster;
using NodeDaemon.Core.Host;
using NodeDaemon.Core.Options;

namespace NodeDaemon.Tests.Agent;

/// <summary>The loop survives what the world does to it: failed turns are retried (only a bug ends it), a drain's timeout
/// counts from its persisted start, and node writes never overlap.</summary>
public sealed class AgentLoopResilienceTests : IDisposable
{
    private static readonly string s_new = "sha256:" + new string('2', 64);
    private readonly AgentLoopWorld _world = new("nodedaemon-loop-");

    private AgentLoop Loop(TimeSpan? progressInterval = null, TimeProvider? clock = null) => _world.Loop(
        tuning: new LoopTuning(ProgressReportInterval: progressInterval ?? TimeSpan.FromSeconds(30), TurnRetryDelay: TimeSpan.FromSeconds(1), MaxTurnRetryDelay: TimeSpan.FromSeconds(8)),
        clock: clock);

    [Fact]
    public async Task Failed_turns_are_retried_and_told_on_the_node_and_the_loop_goes_on()
    {
        var loop = Loop();
        using var stop = new CancellationTokenSource();
        var run = loop.RunAsync(stop.Token);
        try
        {
            await Eventually.HoldsAsync(() => _world.Node.Reports.Count > 0, "the first report");
            _world.Host.FailStatusReads = 4;
            await AdvanceUntilAsync(() => _world.Host.FailStatusReads == 0 && loop.FailedTurnsInARow == 0, run, "four failed turns, then one that succeeds");

            Assert.False(run.IsCompleted, $"the loop ended: {run.Exception?.InnerException?.Message}");
            // After three failed turns in a row the node's reason said so, naming the problem; the next success clears it.
            Assert.Contains(_world.Node.Reports, r => r.Reason.Contains("turns in a row failed", StringComparison.Ordinal)
                && r.Reason.Contains("rpm-ostreed did not answer", StringComparison.Ordinal));
            await AdvanceUntilAsync(() => _world.Node.Reports[^1].Reason.Length == 0, run, "the reason cleared");
        }
        finally
        {
            await stop.CancelAsync();
            await run.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
        }
    }

    [Fact]
    public async Task A_bug_ends_the_loop()
    {
        var loop = Loop();
        using var stop = new CancellationTokenSource();
        var run = loop.RunAsync(stop.Token);
        await Eventually.HoldsAsync(() => _world.Node.Reports.Count > 0, "the first report");
        _world.Host.StatusFailure = new InvalidOperationException("a bug");
        _world.Host.FailStatusReads = 1;

        await AdvanceUntilAsync(() => run.IsCompleted, run, "the loop to end");

        Assert.IsType<InvalidOperationException>(run.Exception?.InnerException);
    }

    [Theory]
    [InlineData(1, 0.0, 1)]     // the base, times 0.5..1.5
    [InlineData(1, 1.0, 3)]
    [InlineData(3, 0.5, 8)]     // doubled twice
    [InlineData(30, 0.0, 150)]  // capped at 300 s before the jitter
    public void The_retry_delay_doubles_is_capped_and_jittered(int failures, double jitter, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), TurnFailures.RetryDelay(failures, TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(5), jitter));

    [Fact]
    public async Task A_drain_resumed_after_a_restart_has_only_what_is_left_of_its_timeout()
    {
        _world.Node.Annotate("nodedaemon.io/desired-image", "quay.io/example/os@" + s_new);
        // The first process dies in its drain, ten minutes after it started.
        _world.Node.DrainOutcome = () =>
        {
            _world.Time.Advance(TimeSpan.FromMinutes(10));
            throw new InvalidOperationException("killed");
        };
        await Assert.ThrowsAsync<InvalidOperationException>(() => TurnsAsync(Loop(), 10));

        _world.Node.DrainOutcome = null;
        await TurnsAsync(Loop(), 10);

        Assert.Equal(2, _world.Node.DrainRequests.Count);
        Assert.Equal(new NodeDaemonOptions().Drain.Timeout, _world.Node.DrainRequests[0].TimeLeft);
        Assert.Equal(new NodeDaemonOptions().Drain.Timeout - TimeSpan.FromMinutes(10), _world.Node.DrainRequests[1].TimeLeft);
    }

    [Theory]
    [InlineData(-60)]       // NTP stepped the wall clock back an hour
    [InlineData(24 * 60)]   // an admin set it a day ahead
    public async Task A_wall_clock_step_between_restarts_neither_stretches_nor_cuts_the_drain(int stepMinutes)
    {
        var clock = new SteppedClock(_world.Time);
        _world.Node.Annotate("nodedaemon.io/desired-image", "quay.io/example/os@" + s_new);
        _world.Node.DrainOutcome = () =>
        {
            _world.Time.Advance(TimeSpan.FromMinutes(10));
            clock.Step = TimeSpan.FromMinutes(stepMinutes);
            throw new InvalidOperationException("killed");
        };
        await Assert.ThrowsAsync<InvalidOperationException>(() => TurnsAsync(Loop(clock: clock), 10));

        _world.Node.DrainOutcome = null;
        await TurnsAsync(Loop(clock: clock), 10);

        // Ten minutes passed on the boot's clock, whatever the wall clock says.
        Assert.Equal(new NodeDaemonOptions().Drain.Timeout - TimeSpan.FromMinutes(10), _world.Node.DrainRequests[1].TimeLeft);
    }

    /// <summary>A clock whose wall time can be stepped (NTP, an admin) while its monotonic timestamps run on, as on a host.</summary>
    private sealed class SteppedClock(FakeTimeProvider inner) : TimeProvider
    {
        public TimeSpan Step { get; set; }

        public override DateTimeOffset GetUtcNow() => inner.GetUtcNow() + Step;

        public override long GetTimestamp() => inner.GetTimestamp();

        public override long TimestampFrequency => inner.TimestampFrequency;

        public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
            inner.CreateTimer(callback, state, dueTime, period);
    }

    [Theory]
    [InlineData(0, 900)]
    [InlineData(600, 300)]
    [InlineData(int.MaxValue, 900)] // a start from the wall clock's future (another boot's notes): a whole timeout, never cut short
    [InlineData(1000, 0)]
    public void Drain_time_left_counts_from_the_start(int elapsedSeconds, int leftSeconds)
    {
        var elapsed = elapsedSeconds == int.MaxValue ? TimeSpan.MaxValue : TimeSpan.FromSeconds(elapsedSeconds);
        Assert.Equal(TimeSpan.FromSeconds(leftSeconds), DrainExecutor.TimeLeft(elapsed, TimeSpan.FromSeconds(900)));
    }

    [Fact]
    public async Task A_progress_line_is_written_before_the_turn_ends_and_never_beside_another_write()
    {
        _world.Node.Annotate("nodedaemon.io/desired-image", "quay.io/example/os@" + s_new);
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _world.Node.ReportHook = async report =>
        {
            if (report.Message.StartsWith("draining:", StringComparison.Ordinal) && held.TrySetResult())
            {
                await release.Task;
            }
        };
        var loop = Loop(progressInterval: TimeSpan.Zero);

        for (var i = 0; i < 20 && !held.Task.IsCompleted; i++)
        {
            var turn = loop.TurnAsync(CancellationToken.None);
            if (await Task.WhenAny(held.Task, turn) == held.Task)
            {
                // The drain's progress line is being written: the turn waits for it.
                await Task.Delay(200);
                Assert.False(turn.IsCompleted, "the turn ended while its progress line was still being written");
                release.SetResult();
            }

            await turn;
        }

        Assert.True(held.Task.IsCompleted, "no drain progress line was written");
        await TurnsAsync(loop, 3);
        Assert.Equal(1, _world.Node.MaxWritesInFlight);
    }

    private static async Task TurnsAsync(AgentLoop loop, int turns)
    {
        for (var i = 0; i < turns; i++)
        {
            var decision = await loop.TurnAsync(CancellationToken.None);
            if (decision.Action is AgentAction.None || decision is { State: AgentState.Rebooting, Action: AgentAction.Wait })
            {
                return;
            }
        }
    }

    private async Task AdvanceUntilAsync(Func<bool> condition, Task run, string what)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            if (run.IsCompleted && !condition())
            {
                break;
            }

            _world.Time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(5);
        }

        Assert.True(condition(), $"gave up waiting for {what}; loop: {(run.IsCompleted ? "ended " + run.Exception?.InnerException?.Message : "running")}");
    }

    public void Dispose() => _world.Dispose();
}
