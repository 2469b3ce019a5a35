using System.Net;
using System.Net.Sockets;
using System.Text;

namespace NodeDaemon.Kubernetes.Tests.Watch;

/// <summary>
/// A loopback HTTP server that lists one node and then opens watch streams that never send anything and never end:
/// a half-open connection, which the test API server (it honours timeoutSeconds) cannot play. Given a watch status, it
/// answers every watch with that status instead (410: a server on which every version expires at once).
/// </summary>
internal sealed class SilentApiServer : IAsyncDisposable
{
    private const string List = """{"kind":"NodeList","apiVersion":"v1","metadata":{"resourceVersion":"7"},"items":[{"kind":"Node","apiVersion":"v1","metadata":{"name":"node-a","uid":"u-1","resourceVersion":"7"}}]}""";

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _clients = [];
    private readonly Task _accept;
    private readonly int? _watchStatus;
    private int _watches;
    private int _lists;

    public SilentApiServer(int? watchStatus = null)
    {
        _watchStatus = watchStatus;
        _listener.Start();
        Url = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _accept = Task.Run(AcceptAsync);
    }

    /// <summary>The server's URL.</summary>
    public Uri Url { get; }

    /// <summary>Watch requests seen.</summary>
    public int Watches => Volatile.Read(ref _watches);

    /// <summary>List requests seen.</summary>
    public int Lists => Volatile.Read(ref _lists);

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                lock (_clients)
                {
                    _clients.Add(client);
                }

                _ = Task.Run(() => ServeAsync(client));
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        try
        {
            var stream = client.GetStream();
            var buffer = new byte[8192];
            while (true)
            {
                var head = new StringBuilder();
                while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    var read = await stream.ReadAsync(buffer, _stop.Token);
                    if (read == 0)
                    {
                        return;
                    }

                    head.Append(Encoding.ASCII.GetString(buffer, 0, read));
                }

                if (head.ToString().Contains("watch=true", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref _watches);
                    if (_watchStatus is { } status)
                    {
                        await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 {status} Status\r\nContent-Length: 0\r\n\r\n"), _stop.Token);
                        continue;
                    }

                    await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"), _stop.Token);
                    await Task.Delay(Timeout.Infinite, _stop.Token);
                }

                Interlocked.Increment(ref _lists);
                var body = Encoding.UTF8.GetBytes(List);
                await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n"), _stop.Token);
                await stream.WriteAsync(body, _stop.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // Disposed, or the client hung up.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accept.WaitAsync(TimeSpan.FromSeconds(10));
        lock (_clients)
        {
            _clients.ForEach(c => c.Dispose());
        }

        _stop.Dispose();
    }
}
