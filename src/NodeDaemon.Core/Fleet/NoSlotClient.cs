namespace NodeDaemon.Core.Fleet;

/// <summary>The slot seam when fleet coordination is off: holds nothing, and refuses to be asked for a slot.</summary>
/// <remarks>The decider never asks for a slot with <c>fleet.enabled</c> off, so a request here is a bug; it fails loudly
/// rather than letting a node disrupt as if it had taken turns.</remarks>
public sealed class NoSlotClient : ISlotClient
{
    /// <summary>The one instance.</summary>
    public static readonly NoSlotClient Instance = new();

    private NoSlotClient()
    {
    }

    /// <inheritdoc/>
    public Task<SlotAnswer> AcquireAsync(SlotRequest request, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("a slot was asked for with fleet coordination off");

    /// <inheritdoc/>
    public Task<bool> RenewAsync(SlotMember member, CancellationToken cancellationToken) => Task.FromResult(false);

    /// <inheritdoc/>
    public Task ReleaseAsync(SlotMember member, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc/>
    public IAsyncEnumerable<SlotChance> WatchAsync(SlotMember member, CancellationToken cancellationToken) => AsyncEnumerable.Empty<SlotChance>();

    /// <inheritdoc/>
    public Task<HeldSlot?> HoldsAsync(SlotMember member, CancellationToken cancellationToken) => Task.FromResult<HeldSlot?>(null);
}
