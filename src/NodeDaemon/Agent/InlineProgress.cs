namespace NodeDaemon.Agent;

/// <summary>An <see cref="IProgress{T}"/> that runs its handler at once, on the reporting thread.</summary>
/// <remarks><see cref="Progress{T}"/> posts to a captured context or the thread pool, so reports can arrive after
/// the action finished and out of order; progress lines must not.</remarks>
internal sealed class InlineProgress<T>(Action<T> handler) : IProgress<T>
{
    /// <inheritdoc />
    public void Report(T value) => handler(value);
}
