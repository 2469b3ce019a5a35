using System.Collections.Concurrent;
using Tmds.DBus.Protocol;

namespace NodeDaemon.Sim.Tests.RpmOstree;

/// <summary>A Tmds.DBus.Protocol peer-to-peer connection to a transaction address, recording its signals.</summary>
internal sealed class PeerTransaction : IDisposable
{
    private readonly DBusConnection _connection;
    private readonly TaskCompletionSource<(bool Success, string Message)> _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private PeerTransaction(DBusConnection connection) => _connection = connection;

    public ConcurrentQueue<string> Signals { get; } = new();

    public static async Task<PeerTransaction> ConnectAsync(string address)
    {
        var connection = new DBusConnection(address);
        var peer = new PeerTransaction(connection);
        try
        {
            await connection.ConnectAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5));
            // A peer connection has no bus to send AddMatch to: NoSubscribe, the server sends every signal anyway.
            await connection.AddMatchAsync(
                new MatchRule { Type = MessageType.Signal, Path = "/", Interface = SimWorld.TxnIface },
                (m, _) => (m.MemberAsString ?? "", m.MemberAsString == "Finished" ? ReadFinished(m) : default),
                (Notification<(string Member, (bool, string) Finished)> n) =>
                {
                    if (!n.HasValue)
                    {
                        return;
                    }

                    peer.Signals.Enqueue(n.Value.Member);
                    if (n.Value.Member == "Finished")
                    {
                        peer._finished.TrySetResult(n.Value.Finished);
                    }
                },
                emitOnCapturedContext: false, flags: ObserverFlags.NoSubscribe, state: null).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
            return peer;
        }
        catch
        {
            peer.Dispose();
            throw;
        }
    }

    public async Task<bool> StartAsync()
    {
        return await _connection.CallMethodAsync(Build(SimWorld.TxnIface, "Start"), (m, _) => m.GetBodyReader().ReadBool())
            .WaitAsync(TimeSpan.FromSeconds(5));
    }

    public async Task CancelAsync()
    {
        await _connection.CallMethodAsync(Build(SimWorld.TxnIface, "Cancel")).WaitAsync(TimeSpan.FromSeconds(5));
    }

    public async Task<string> IntrospectAsync()
    {
        return await _connection.CallMethodAsync(Build("org.freedesktop.DBus.Introspectable", "Introspect"), (m, _) => m.GetBodyReader().ReadString())
            .WaitAsync(TimeSpan.FromSeconds(5));
    }

    public Task<(bool Success, string Message)> FinishedAsync(double seconds = 5) =>
        _finished.Task.WaitAsync(TimeSpan.FromSeconds(seconds));

    public void Dispose() => _connection.Dispose();

    private MessageBuffer Build(string iface, string member)
    {
        using var writer = _connection.GetMessageWriter();
        writer.WriteMethodCallHeader(null, "/", iface, member, null);
        return writer.CreateMessage();
    }

    private static (bool, string) ReadFinished(Message m)
    {
        var reader = m.GetBodyReader();
        return (reader.ReadBool(), reader.ReadString());
    }
}
