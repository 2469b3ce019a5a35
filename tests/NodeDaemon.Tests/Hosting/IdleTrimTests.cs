using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using NodeDaemon.Core.Agent;
using NodeDaemon.Hosting;

namespace NodeDaemon.Tests.Hosting;

/// <summary>The idle trim's executor on fake time: it releases after an idle turn once the delay passed, never while a
/// turn runs or during an update, and at most once per interval.</summary>
public sealed class IdleTrimTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 5, 20, 0, 0, TimeSpan.Zero));
    private int _released;

    [Fact]
    public void Releases_once_after_an_idle_turn_when_the_delay_has_passed()
    {
        using var trim = NewTrim();
        Turn(trim, AgentState.Idle);

        _time.Advance(IdleTrimRule.IdleFor - TimeSpan.FromMilliseconds(1));
        Assert.Equal(0, _released);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, _released);
        _time.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(1, _released);
    }

    [Fact]
    public void A_turn_that_starts_within_the_delay_puts_the_trim_off()
    {
        using var trim = NewTrim();
        Turn(trim, AgentState.Idle);
        _time.Advance(IdleTrimRule.IdleFor / 2);

        trim.TurnStarted();
        _time.Advance(IdleTrimRule.IdleFor * 5);
        Assert.Equal(0, _released);

        trim.TurnEnded(AgentState.Idle);
        _time.Advance(IdleTrimRule.IdleFor);
        Assert.Equal(1, _released);
    }

    [Fact]
    public void Never_during_an_update()
    {
        using var trim = NewTrim();
        foreach (var state in new[] { AgentState.Staging, AgentState.Staged, AgentState.WaitingForSlot, AgentState.Draining, AgentState.Verifying })
        {
            Turn(trim, state);
            _time.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.Equal(0, _released);
    }

    [Fact]
    public void Idle_turns_closer_than_the_interval_trim_once_per_interval()
    {
        using var trim = NewTrim();
        // A turn every 5 s for 60 s: a trim after the first, then one per interval.
        for (var i = 0; i < 12; i++)
        {
            Turn(trim, AgentState.Idle);
            _time.Advance(TimeSpan.FromSeconds(5));
        }

        var expected = 1 + (int)((TimeSpan.FromSeconds(60) - IdleTrimRule.IdleFor) / IdleTrimRule.MinInterval);
        Assert.Equal(expected, _released);
        Assert.Equal(expected, trim.Trims);
    }

    private IdleTrim NewTrim() => new(_time, () =>
    {
        _released++;
        return 4096;
    }, NullLogger<IdleTrim>.Instance);

    private static void Turn(IdleTrim trim, AgentState after)
    {
        trim.TurnStarted();
        trim.TurnEnded(after);
    }
}
