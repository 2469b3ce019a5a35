namespace NodeDaemon.RpmOstree.Tests.Bootc;

/// <summary>Counts reboot requests instead of rebooting.</summary>
internal sealed class RecordingRebooter : IRebooter
{
    private int _requests;

    public int Requests => Volatile.Read(ref _requests);

    public Task RebootAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _requests);
        return Task.CompletedTask;
    }
}
