using Tmds.DBus.Protocol;

namespace NodeDaemon.RpmOstree.Tests;

/// <summary>The method calls sent to rpm-ostreed's name on a private bus, in bus order, seen by a monitor connection.</summary>
/// <remarks>A monitor (<c>BecomeMonitor</c>) sees what the bus routes, so the client under test runs unchanged. A
/// property read is named <c>Get Interface.Property</c> with the interface's last part, any other call by its member.</remarks>
internal sealed class BusCalls : IAsyncDisposable
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    private readonly DBusConnection _monitor;
    private readonly List<string> _calls = [];
    private readonly SemaphoreSlim _arrived = new(0);

    private BusCalls(DBusConnection monitor) => _monitor = monitor;

    /// <summary>Starts monitoring; calls from here on are recorded.</summary>
    public static async Task<BusCalls> WatchAsync(string address)
    {
        var monitor = new DBusConnection(address);
        var calls = new BusCalls(monitor);
        try
        {
            await monitor.ConnectAsync();
            await monitor.BecomeMonitorAsync(calls.OnMessage, [new MatchRule { Type = MessageType.MethodCall }]);
            return calls;
        }
        catch
        {
            monitor.Dispose();
            throw;
        }
    }

    /// <summary>The calls before the first <paramref name="member"/> call, waiting (bounded) for it to be seen.</summary>
    public async Task<List<string>> BeforeAsync(string member)
    {
        using var cts = new CancellationTokenSource(s_wait);
        while (true)
        {
            lock (_calls)
            {
                var index = _calls.IndexOf(member);
                if (index >= 0)
                {
                    return _calls[..index];
                }
            }

            await _arrived.WaitAsync(cts.Token);
        }
    }

    public ValueTask DisposeAsync()
    {
        _monitor.Dispose();
        _arrived.Dispose();
        return ValueTask.CompletedTask;
    }

    private void OnMessage(Exception? error, DisposableMessage message)
    {
        using (message)
        {
            if (error is not null || message.Message.DestinationAsString != RpmOstreeNames.BusName)
            {
                return;
            }

            var call = message.Message.MemberAsString ?? "";
            if (message.Message.InterfaceAsString == RpmOstreeNames.Properties && call == "Get")
            {
                var reader = message.Message.GetBodyReader();
                var @interface = reader.ReadString();
                call = $"Get {@interface[(@interface.LastIndexOf('.') + 1)..]}.{reader.ReadString()}";
            }

            lock (_calls)
            {
                _calls.Add(call);
            }

            _arrived.Release();
        }
    }
}
