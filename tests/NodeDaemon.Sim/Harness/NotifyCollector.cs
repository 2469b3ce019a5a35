using System.Net.Sockets;
using System.Text;

namespace NodeDaemon.Sim.Harness;

/// <summary>A NOTIFY_SOCKET that is read all the time, as systemd does.</summary>
/// <remarks>A Unix datagram queue holds only ~10 messages (net.unix.max_dgram_qlen); a socket nobody reads makes the
/// daemon's sd_notify block, which no real service manager does to it.</remarks>
public sealed class NotifyCollector : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("nodedaemon-notify-");
    private readonly List<(long At, string Message)> _messages = [];
    private readonly Thread _reader;

    /// <summary>Binds a fresh socket and starts reading it.</summary>
    public NotifyCollector()
    {
        SocketPath = Path.Combine(_dir.FullName, "notify");
        _socket.Bind(new UnixDomainSocketEndPoint(SocketPath));
        _reader = new Thread(Read) { IsBackground = true };
        _reader.Start();
    }

    /// <summary>The path to pass as NOTIFY_SOCKET.</summary>
    public string SocketPath { get; }

    /// <summary>Every datagram so far, in arrival order.</summary>
    public IReadOnlyList<string> Messages
    {
        get
        {
            lock (_messages)
            {
                return [.. _messages.Select(m => m.Message)];
            }
        }
    }

    /// <summary>When (a <see cref="System.Diagnostics.Stopwatch"/> timestamp) the first datagram containing <paramref name="text"/>
    /// arrived after <paramref name="since"/>, or null.</summary>
    public long? Arrival(string text, long since = 0)
    {
        lock (_messages)
        {
            return _messages.Where(m => m.At >= since && m.Message.Contains(text, StringComparison.Ordinal)).Select(m => (long?)m.At).FirstOrDefault();
        }
    }

    /// <summary>When (a <see cref="System.Diagnostics.Stopwatch"/> timestamp) the last datagram with the assignment
    /// <paramref name="assignment"/> (e.g. <c>WATCHDOG=1</c>, one of its newline-separated lines) arrived, or null.</summary>
    public long? LastArrival(string assignment)
    {
        lock (_messages)
        {
            for (var i = _messages.Count - 1; i >= 0; i--)
            {
                if (_messages[i].Message.Split('\n').Contains(assignment, StringComparer.Ordinal))
                {
                    return _messages[i].At;
                }
            }

            return null;
        }
    }

    /// <summary>Closes the socket and removes it.</summary>
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
                var at = System.Diagnostics.Stopwatch.GetTimestamp();
                lock (_messages)
                {
                    _messages.Add((at, Encoding.UTF8.GetString(buffer, 0, n)));
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Disposed: the test is over.
        }
    }
}
