namespace NodeDaemon.Core.Fleet;

/// <summary>The staging slot seam when pulls are unbounded: holds nothing, and refuses to be asked.</summary>
/// <remarks>The decider asks for a staging slot only with <c>fleet.maxStaging</c> set and fleet coordination on, so a
/// request here is a bug; it fails loudly rather than letting a node pull as if it had taken turns.</remarks>
public sealed class NoStagingSlotClient : IStagingSlotClient
{
    /// <summary>The one instance.</summary>
    public static readonly NoStagingSlotClient Instance = new();

    private NoStagingSlotClient()
    {
    }

    /// <inheritdoc/>
    public TimeSpan RenewInterval => Timeout.InfiniteTimeSpan;

    /// <inheritdoc/>
    public Task<StagingAnswer> AcquireAsync(SlotMember member, string digest, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("a staging slot was asked for with fleet.maxStaging unbounded");

    /// <inheritdoc/>
    public Task<bool> RenewAsync(SlotMember member, CancellationToken cancellationToken) => Task.FromResult(false);

    /// <inheritdoc/>
    public Task ReleaseAsync(SlotMember member, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc/>
    public IAsyncEnumerable<string> WatchAsync(SlotMember member, CancellationToken cancellationToken) => AsyncEnumerable.Empty<string>();
}
