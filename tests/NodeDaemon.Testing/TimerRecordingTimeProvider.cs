using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace NodeDaemon.Testing;

/// <summary>A <see cref="FakeTimeProvider"/> that also tells each timer's due time as it is created. A test waits for
/// the code under test to start a wait (a <c>Task.Delay</c>, a timeout) before it moves time: moving time before the
/// timer exists would be lost on it, and that race is what made fake-time tests of background loops flaky.</summary>
public sealed class TimerRecordingTimeProvider : FakeTimeProvider
{
    private readonly Channel<TimeSpan> _created = Channel.CreateUnbounded<TimeSpan>();

    /// <summary>Starts at <paramref name="start"/> (FakeTimeProvider's default start when null).</summary>
    public TimerRecordingTimeProvider(DateTimeOffset? start = null)
    {
        if (start is { } at)
        {
            SetUtcNow(at);
        }
    }

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        _created.Writer.TryWrite(dueTime);
        return timer;
    }

    /// <summary>The due time of the next timer created that satisfies <paramref name="match"/> (others are skipped);
    /// throws <see cref="TimeoutException"/> when none comes within <paramref name="bound"/> of real time.</summary>
    public async Task<TimeSpan> NextTimerAsync(Func<TimeSpan, bool> match, TimeSpan? bound = null)
    {
        using var cts = new CancellationTokenSource(bound ?? Poll.DefaultBound);
        try
        {
            while (true)
            {
                var due = await _created.Reader.ReadAsync(cts.Token).ConfigureAwait(false);
                if (match(due))
                {
                    return due;
                }
            }
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            throw new TimeoutException("no matching timer was created in time");
        }
    }
}
