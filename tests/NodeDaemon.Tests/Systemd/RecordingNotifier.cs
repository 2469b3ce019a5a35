using Microsoft.Extensions.Hosting.Systemd;

namespace NodeDaemon.Tests.Systemd;

/// <summary>A hand-written <see cref="ISystemdNotifier"/> that keeps what it was told (from any thread).</summary>
internal sealed class RecordingNotifier(bool enabled = true) : ISystemdNotifier
{
    private readonly List<string> _sent = [];

    public IReadOnlyList<string> Sent
    {
        get
        {
            lock (_sent)
            {
                return [.. _sent];
            }
        }
    }

    public bool IsEnabled => enabled;

    public void Notify(ServiceState state)
    {
        lock (_sent)
        {
            _sent.Add(state.ToString());
        }
    }

    /// <summary>Waits (bounded) until <paramref name="count"/> notifications arrived.</summary>
    public bool WaitFor(int count) => SpinWait.SpinUntil(() => Sent.Count >= count, TimeSpan.FromSeconds(5));
}
