using k8s;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using NodeDaemon.Kubernetes.Api;
using NodeDaemon.Kubernetes.Watch;

namespace NodeDaemon.Kubernetes.Tests.Watch;

/// <summary>The list/watch loop itself, against a server that misbehaves in ways the test API server does not.</summary>
public sealed class ResourceWatchTests
{
    private static readonly TimeSpan s_backoffMax = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task A_watch_answered_410_before_any_event_waits_a_backoff_before_it_lists_again()
    {
        // Every watch answered 410: without the pause the watch would list and watch again in a tight loop.
        await using var server = new SilentApiServer(watchStatus: 410);
        var time = new TimerLog(new FakeTimeProvider(DateTimeOffset.UtcNow), shortest: s_backoffMax);
        using var api = new KubeApi(new KubernetesClientConfiguration { Host = server.Url.ToString() }, TimeSpan.FromSeconds(30));
        var watch = new ResourceWatch(api, new ApiTransportOptions { BackoffInitial = TimeSpan.FromMilliseconds(200), BackoffMax = s_backoffMax },
            time, NullLogger.Instance, "the test's nodes");
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var events = watch.WatchAsync("/api/v1/nodes", (version, timeout) => $"/api/v1/nodes?watch=true&resourceVersion={version}&timeoutSeconds={timeout}",
            bound.Token).GetAsyncEnumerator(bound.Token);

        Assert.True(await events.MoveNextAsync());
        Assert.IsType<WatchEvent.Listed>(events.Current);
        var next = events.MoveNextAsync().AsTask();
        // The pause: a timer within the backoff's bound, asked for once the watch got its 410.
        await time.ShortTimer.WaitAsync(bound.Token);

        Assert.Equal((1, 1), (server.Lists, server.Watches));
        time.Inner.Advance(s_backoffMax);
        Assert.True(await next.WaitAsync(bound.Token));
        Assert.IsType<WatchEvent.Listed>(events.Current);
        Assert.Equal(2, server.Lists);
    }

    /// <summary>A fake clock that tells when a timer no longer than <paramref name="shortest"/> is made (a backoff's wait, not a watch's bound).</summary>
    private sealed class TimerLog(FakeTimeProvider inner, TimeSpan shortest) : TimeProvider
    {
        private readonly TaskCompletionSource _short = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public FakeTimeProvider Inner => inner;

        public Task ShortTimer => _short.Task;

        public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

        public override long GetTimestamp() => inner.GetTimestamp();

        public override long TimestampFrequency => inner.TimestampFrequency;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            if (dueTime > TimeSpan.Zero && dueTime <= shortest)
            {
                _short.TrySetResult();
            }

            return inner.CreateTimer(callback, state, dueTime, period);
        }
    }
}
