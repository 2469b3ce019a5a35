using System.Net.Sockets;
using System.Text;

namespace NodeDaemon.Tests.EndToEnd;

/// <summary>A NOTIFY_SOCKET that is read all the time, as systemd does.</summary>
/// <remarks>A Unix datagram queue holds only ~10 messages (net.unix.max_dgram_qlen); a socket nobody reads makes the
/// daemon's sd_notify block, which no real service manager does to it.</remarks>
internal sealed class NotifyCollector : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("nodedaemon-notify-");
    private readonly List<string> _messages = [];
    private readonly Thread _reader;

    public NotifyCollector()
    {
        SocketPath = Path.Combine(_dir.FullName, "notify");
        _socket.Bind(new UnixDomainSocketEndPoint(SocketPath));
        _reader = new Thread(Read) { IsBackground = true };
        _reader.Start();
    }

    public string SocketPath { get; }

    public IReadOnlyList<string> Messages
    {
        get
        {
            lock (_messages)
            {
                return [.. _messages];
            }
        }
    }

    public void Dispose()
    {
        _socket.Dispose();
        _reader.Join(TimeSpan.FromSeconds(5));
        _dir.Delete(recursive: true);
    }

    private void Read()
    {
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                var n = _socket.Receive(buffer);
                lock (_messages)
                {
                    _messages.Add(Encoding.UTF8.GetString(buffer, 0, n));
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Disposed: the test is over.
        }
    }
}
