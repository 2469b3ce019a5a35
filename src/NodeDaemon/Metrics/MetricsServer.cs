using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using NodeDaemon.Core.Options;

namespace NodeDaemon.Metrics;

/// <summary>A minimal HTTP/1.1 responder over a socket: one GET per connection, a bounded head, a read timeout.</summary>
/// <remarks>
/// Kestrel would add megabytes to the Native AOT binary for two fixed answers, and HttpListener cannot listen on a
/// unix socket. Each connection is served on its own task, at most <see cref="MaxConnections"/> at once, so a slow
/// or hostile client holds one slot for at most <see cref="ReadTimeout"/>, and nothing here ever waits on the agent loop.
/// </remarks>
internal sealed partial class MetricsServer : IAsyncDisposable
{
    /// <summary>Connections served at once; more wait in the listen backlog.</summary>
    public const int MaxConnections = 8;

    private readonly Socket _listener;
    private readonly string? _socketPath;
    private readonly MetricsEndpoints _endpoints;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _slots = new(MaxConnections, MaxConnections);
    private readonly IdleConnections _idle = new();

    /// <summary>How often a connection waiting for a slot asks an idle one to give way again.</summary>
    private static readonly TimeSpan s_evictionRetry = TimeSpan.FromMilliseconds(100);

    private MetricsServer(Socket listener, string? socketPath, MetricsEndpoints endpoints, TimeProvider time, ILogger logger, TimeSpan readTimeout)
    {
        ReadTimeout = readTimeout;
        _listener = listener;
        _socketPath = socketPath;
        _endpoints = endpoints;
        _time = time;
        _logger = logger;
    }

    /// <summary>The default of <see cref="ReadTimeout"/>: a scraper on the same node sends its request at once.</summary>
    public static readonly TimeSpan DefaultReadTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The longest a client may take to send its request head, and to take the answer.</summary>
    public TimeSpan ReadTimeout { get; }

    /// <summary>Where it listens: the bound TCP address and port, or the unix socket path.</summary>
    public string Address => _socketPath is { } path ? MetricsListenAddress.UnixPrefix + path : _listener.LocalEndPoint!.ToString()!;

    /// <summary>The bound TCP port (the actual one when asked for port 0); 0 for a unix socket.</summary>
    public int Port => (_listener.LocalEndPoint as IPEndPoint)?.Port ?? 0;

    /// <summary>Binds and listens on <paramref name="address"/>; a stale unix socket is replaced (reported through
    /// <paramref name="removedStale"/>). <paramref name="readTimeout"/> defaults to <see cref="DefaultReadTimeout"/>.</summary>
    /// <exception cref="SocketException">The address is in use or cannot be bound.</exception>
    /// <exception cref="IOException">A live socket is at the unix path, or its directory cannot be made.</exception>
    public static MetricsServer Listen(MetricsListenAddress address, MetricsEndpoints endpoints, TimeProvider time, ILogger logger, out bool removedStale,
        TimeSpan? readTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        removedStale = false;
        Socket? socket = null;
        try
        {
            if (address.SocketPath is { } path)
            {
                removedStale = UnixSocketFile.PrepareToBind(path);
                socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                socket.Bind(new UnixDomainSocketEndPoint(path));
                UnixSocketFile.RestrictToOwner(path);
            }
            else
            {
                // No ReuseAddress option: on Linux .NET already binds past our own TIME_WAIT connections of a previous
                // run, and setting it would add SO_REUSEPORT, letting a second daemon share the port unnoticed.
                socket = new Socket(address.Address!.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                socket.Bind(new IPEndPoint(address.Address, address.Port));
            }

            socket.Listen(16);
            var server = new MetricsServer(socket, address.SocketPath, endpoints, time, logger, readTimeout ?? DefaultReadTimeout);
            socket = null;
            return server;
        }
        finally
        {
            socket?.Dispose();
        }
    }

    /// <summary>Accepts and serves connections until <paramref name="stopping"/>, then waits for those in flight.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        try
        {
            while (true)
            {
                Socket connection;
                try
                {
                    connection = await _listener.AcceptAsync(stopping).ConfigureAwait(false);
                }
                catch (SocketException e) when (!stopping.IsCancellationRequested)
                {
                    // Out of descriptors, or a connection reset before it was accepted: not a reason to stop serving.
                    LogRequestFailed(e.Message);
                    await Task.Delay(TimeSpan.FromMilliseconds(100), _time, stopping).ConfigureAwait(false);
                    continue;
                }

                // Every slot taken: the connection that has waited longest without sending its request gives way, so
                // idle clients (a port scan, a stalled scraper) never keep a health probe out for their read timeout.
                // Asked again while no slot comes free: a handler only just started may not have registered as idle yet.
                var free = _slots.Wait(0, CancellationToken.None);
                while (!free)
                {
                    _idle.EvictOldest();
                    try
                    {
                        free = await _slots.WaitAsync(s_evictionRetry, stopping).ConfigureAwait(false);
                    }
                    catch
                    {
                        connection.Dispose();
                        throw;
                    }
                }

                _ = Task.Run(() => ServeAsync(connection, stopping), CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopping.
        }

        // Every handler gives its slot back within its timeouts (they also end on stopping).
        for (var i = 0; i < MaxConnections; i++)
        {
            await _slots.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>Stops listening and removes the unix socket.</summary>
    public ValueTask DisposeAsync()
    {
        _listener.Dispose();
        if (_socketPath is not null)
        {
            UnixSocketFile.Remove(_socketPath);
        }

        _slots.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task ServeAsync(Socket connection, CancellationToken stopping)
    {
        try
        {
            using (connection)
            {
                if (await ReadAnswerAsync(connection, stopping).ConfigureAwait(false) is not { } answer)
                {
                    return;
                }

                using var deadline = new CancellationTokenSource(ReadTimeout, _time);
                using var bounded = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, stopping);
                await connection.SendAsync(answer.Encode(), SocketFlags.None, bounded.Token).ConfigureAwait(false);
                connection.Shutdown(SocketShutdown.Send);
                await DrainAsync(connection, bounded.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // A client that went away or stalled: its problem, not the daemon's.
            LogRequestFailed(e.Message);
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <summary>Reads the request head and routes it; null when the client closed without sending anything (a port probe).</summary>
    private async Task<HttpAnswer?> ReadAnswerAsync(Socket connection, CancellationToken stopping)
    {
        using var deadline = new CancellationTokenSource(ReadTimeout, _time);
        using var evicted = new CancellationTokenSource();
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, stopping, evicted.Token);
        using var waiting = _idle.Add(evicted);
        var buffer = new byte[RequestHead.MaxBytes];
        var filled = 0;
        try
        {
            while (true)
            {
                var read = await connection.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, bounded.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    // The client closed before a whole head: nothing sensible to route.
                    return filled == 0 ? null : HttpAnswer.BadRequest;
                }

                filled += read;
                var end = RequestHead.EndOf(buffer.AsSpan(0, filled));
                if (end >= 0)
                {
                    return _endpoints.Answer(RequestHead.Parse(buffer.AsSpan(0, end)));
                }

                if (filled == buffer.Length)
                {
                    return HttpAnswer.TooLarge;
                }
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !stopping.IsCancellationRequested)
        {
            return HttpAnswer.Timeout;
        }
    }

    private static async Task DrainAsync(Socket connection, CancellationToken cancellationToken)
    {
        // Read what the client still sends (a body we ignored) until it closes: closing with unread input would
        // reset the connection, and the client could lose the answer it has not read yet.
        var sink = new byte[1024];
        for (var total = 0; total < 64 * 1024;)
        {
            var read = await connection.ReceiveAsync(sink, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return;
            }

            total += read;
        }
    }
}
