using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using NodeDaemon.Agent;
using NodeDaemon.Core.Fleet;

namespace NodeDaemon.Tests.Agent;

/// <summary>The staging slot executor's recheck after a refusal: doubling per refusal in a row, reset by a slot taken.</summary>
public sealed class StagingSlotExecutorTests
{
    private static readonly SlotMember s_member = new("node-a", "workers");
    private static readonly TimeSpan s_recheck = TimeSpan.FromSeconds(30);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 5, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Each_refusal_in_a_row_doubles_the_recheck_up_to_eight_times_and_a_slot_taken_starts_again()
    {
        var client = new ScriptedStagingClient();
        var executor = new StagingSlotExecutor(_time, NullLogger.Instance) { Client = client, Recheck = s_recheck };
        try
        {
            // Refusal n waits 1-2 times 30 s x 2^(n-1), at most 8 x 30 s.
            foreach (var factor in new[] { 1, 2, 4, 8, 8, 8 })
            {
                await AssertRefusedAsync(executor, "sha256:aa", factor);
            }

            client.Next = new StagingAnswer.Taken("nodedaemon-workers-s0");
            Assert.IsType<StagingAnswer.Taken>(await executor.AcquireAsync(s_member, "sha256:aa", CancellationToken.None));
            await executor.ReleaseAsync(CancellationToken.None);
            client.Next = new StagingAnswer.Full(2);
            await AssertRefusedAsync(executor, "sha256:bb", 1);
            await AssertRefusedAsync(executor, "sha256:bb", 2);
            // Another target is another wait: its count starts again.
            await AssertRefusedAsync(executor, "sha256:cc", 1);
        }
        finally
        {
            await executor.StopWatchingAsync();
        }
    }

    private async Task AssertRefusedAsync(StagingSlotExecutor executor, string target, int factor)
    {
        Assert.IsType<StagingAnswer.Full>(await executor.AcquireAsync(s_member, target, CancellationToken.None));
        var wait = executor.Refusal!.RetryAt - _time.GetUtcNow();
        Assert.InRange(wait, s_recheck * factor, s_recheck * factor * 2);
    }

    /// <summary>Answers every request with <see cref="Next"/>; its watch stays quiet until cancelled.</summary>
    private sealed class ScriptedStagingClient : IStagingSlotClient
    {
        public StagingAnswer Next { get; set; } = new StagingAnswer.Full(2);

        public TimeSpan RenewInterval => Timeout.InfiniteTimeSpan;

        public Task<StagingAnswer> AcquireAsync(SlotMember member, string digest, CancellationToken cancellationToken) => Task.FromResult(Next);

        public Task<bool> RenewAsync(SlotMember member, CancellationToken cancellationToken) => Task.FromResult(true);

        public Task ReleaseAsync(SlotMember member, CancellationToken cancellationToken) => Task.CompletedTask;

        public async IAsyncEnumerable<string> WatchAsync(SlotMember member, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            yield break;
        }
    }
}
