using System.Net.Sockets;

namespace NodeDaemon.Tests.Logging;

/// <summary>A bound Unix datagram socket in a temp dir standing in for journald's native socket.</summary>
internal sealed class JournalSocketListener : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly byte[] _buffer = new byte[1 << 20];

    public JournalSocketListener()
    {
        TempDir = Directory.CreateTempSubdirectory("nodedaemon-journal-").FullName;
        SocketPath = Path.Combine(TempDir, "socket");
        _socket.Bind(new UnixDomainSocketEndPoint(SocketPath));
        _socket.ReceiveTimeout = 5000;
    }

    public string TempDir { get; }

    public string SocketPath { get; }

    /// <summary>The next datagram; fails the test after 5 s.</summary>
    public byte[] Receive()
    {
        int n = _socket.Receive(_buffer);
        return _buffer[..n];
    }

    /// <summary>Whether another datagram is already waiting.</summary>
    public bool HasPending => _socket.Poll(0, SelectMode.SelectRead);

    public void Dispose()
    {
        _socket.Dispose();
        Directory.Delete(TempDir, recursive: true);
    }
}
