using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using NodeDaemon.Core.Options;
using NodeDaemon.Metrics;
using NodeDaemon.Systemd;
using NodeDaemon.Tests.Logging;

namespace NodeDaemon.Tests.Metrics;

/// <summary>The HTTP responder over TCP loopback and a unix socket, spoken to by curl, HttpClient and raw sockets.</summary>
public sealed class MetricsServerTests : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(30);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("nodedaemon-metrics-");
    private readonly CancellationTokenSource _stop = new();
    private readonly List<(MetricsServer Server, Task Run)> _servers = [];
    private readonly AgentHeartbeat _heartbeat;
    private readonly MetricsEndpoints _endpoints;

    public MetricsServerTests()
    {
        _heartbeat = new AgentHeartbeat(_clock);
        _endpoints = new MetricsEndpoints(new AgentMetrics(_heartbeat), new HealthCheck(_heartbeat, new WatchdogSettings(TimeSpan.FromSeconds(20))));
    }

    private string SocketPath => Path.Combine(_dir.FullName, "run", "metrics.sock");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var (server, run) in _servers)
        {
            await run.WaitAsync(s_bound);
            await server.DisposeAsync();
        }

        _dir.Delete(recursive: true);
    }

    public void Dispose() => _stop.Dispose();

    /// <summary>Listens on <paramref name="address"/> (TCP on loopback, any free port, by default) and serves until the test ends.</summary>
    private MetricsServer Start(MetricsListenAddress? address = null, TimeSpan? readTimeout = null)
    {
        var server = MetricsServer.Listen(address ?? MetricsListenAddress.Tcp(IPAddress.Loopback, 0), _endpoints, TimeProvider.System,
            NullLogger.Instance, out _, readTimeout);
        _servers.Add((server, server.RunAsync(_stop.Token)));
        return server;
    }

    private static async Task<ProcessRunner.Result> CurlAsync(params string[] args)
    {
        var curl = File.Exists("/usr/bin/curl") ? "/usr/bin/curl"
            : throw new Xunit.Sdk.XunitException("curl is missing: apt-get install -y curl");
        return await ProcessRunner.RunAsync(curl, ["--silent", "--show-error", "--include", "--max-time", "30", .. args], null, s_bound);
    }

    /// <summary>Sends <paramref name="request"/> as it is and reads the whole answer, until the server closes.</summary>
    private static async Task<string> RawAsync(int port, string request)
    {
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var bound = new CancellationTokenSource(s_bound);
        await client.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), bound.Token);
        await client.SendAsync(Encoding.ASCII.GetBytes(request), SocketFlags.None, bound.Token);
        using var stream = new NetworkStream(client);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadToEndAsync(bound.Token);
    }

    [Fact]
    public async Task Curl_scrapes_metrics_over_tcp_loopback()
    {
        var server = Start();

        var result = await CurlAsync($"http://127.0.0.1:{server.Port}/metrics");

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Connection: close\r\n", result.Stdout, StringComparison.Ordinal);
        var body = result.Stdout[(result.Stdout.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];
        Assert.Equal(13, (await ReferenceParser.ParseAsync(body)).Count);
    }

    [Fact]
    public async Task Curl_reaches_health_over_a_unix_socket_that_only_its_owner_may_use()
    {
        Start(MetricsListenAddress.Unix(SocketPath));

        var result = await CurlAsync("--unix-socket", SocketPath, "http://localhost/healthz");

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", result.Stdout, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\nok\n", result.Stdout, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(SocketPath));
    }

    [Fact]
    public async Task Health_is_503_with_the_reason_while_the_loop_is_stuck_and_200_once_it_beats()
    {
        var server = Start();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.Port}/"), Timeout = s_bound };

        using (var fresh = await http.GetAsync(new Uri("healthz", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
            Assert.Equal("ok\n", await fresh.Content.ReadAsStringAsync());
        }

        // The watchdog's limit is 20 s: at 20 s the loop is still fresh, past it stuck.
        _clock.Advance(TimeSpan.FromSeconds(20));
        using (var atLimit = await http.GetAsync(new Uri("healthz", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, atLimit.StatusCode);
        }

        _clock.Advance(TimeSpan.FromSeconds(5));
        using (var stuck = await http.GetAsync(new Uri("healthz", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, stuck.StatusCode);
            Assert.Equal("agent loop made no progress for 25 s (limit 20 s); systemd's watchdog restarts it\n", await stuck.Content.ReadAsStringAsync());
        }

        _heartbeat.Beat();
        using var again = await http.GetAsync(new Uri("healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Theory]
    [InlineData("GET /nope HTTP/1.1\r\nHost: x\r\n\r\n", "HTTP/1.1 404 Not Found\r\n")]
    [InlineData("POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello", "HTTP/1.1 405 Method Not Allowed\r\n")]
    [InlineData("HEAD /healthz HTTP/1.1\r\n\r\n", "HTTP/1.1 405 Method Not Allowed\r\n")]
    [InlineData("hello\r\n\r\n", "HTTP/1.1 400 Bad Request\r\n")]
    [InlineData("GET metrics HTTP/1.1\r\n\r\n", "HTTP/1.1 400 Bad Request\r\n")]
    [InlineData("GET /metrics HTTP/2.0\r\n\r\n", "HTTP/1.1 400 Bad Request\r\n")]
    [InlineData("GET /healthz?verbose=1 HTTP/1.0\n\n", "HTTP/1.1 200 OK\r\n")]
    public async Task Answers_every_request_with_a_status_and_closes(string request, string statusLine)
    {
        var server = Start();

        var answer = await RawAsync(server.Port, request);

        Assert.StartsWith(statusLine, answer, StringComparison.Ordinal);
        var length = int.Parse(answer.Split("\r\n").Single(h => h.StartsWith("Content-Length: ", StringComparison.Ordinal))[16..],
            System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(length, Encoding.UTF8.GetByteCount(answer[(answer.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..]));
        Assert.Equal(statusLine.Contains("405", StringComparison.Ordinal), answer.Contains("\r\nAllow: GET\r\n", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_request_head_larger_than_the_bound_is_refused()
    {
        var server = Start();

        var answer = await RawAsync(server.Port, "GET /metrics HTTP/1.1\r\nX-Filler: " + new string('x', RequestHead.MaxBytes));

        Assert.StartsWith("HTTP/1.1 431 ", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_that_stalls_mid_request_gets_408_after_the_read_timeout()
    {
        var server = Start(readTimeout: TimeSpan.FromMilliseconds(200));

        // No blank line: the head never ends, and only the server's timeout ends the wait.
        var answer = await RawAsync(server.Port, "GET /metrics HTTP/1.1\r\n");

        Assert.StartsWith("HTTP/1.1 408 Request Timeout\r\n", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stale_socket_is_replaced_and_the_socket_is_removed_on_stop()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(SocketPath)!);
        // A process that exits without unlinking its socket (.NET unlinks on close, so another runtime plays the
        // killed daemon): the file stays, and nobody listens on it.
        var crashed = await ProcessRunner.RunAsync("/usr/bin/python3",
            ["-c", "import socket, sys; s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(1)", SocketPath], null, s_bound);
        Assert.True(crashed.ExitCode == 0, crashed.Stderr);
        Assert.True(File.Exists(SocketPath));

        var server = MetricsServer.Listen(MetricsListenAddress.Unix(SocketPath), _endpoints, TimeProvider.System, NullLogger.Instance, out var removed);
        using var stop = new CancellationTokenSource();
        var run = server.RunAsync(stop.Token);
        var result = await CurlAsync("--unix-socket", SocketPath, "http://localhost/healthz");
        await stop.CancelAsync();
        await run.WaitAsync(s_bound);
        await server.DisposeAsync();

        Assert.True(removed);
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.False(File.Exists(SocketPath));
    }

    [Fact]
    public void A_socket_another_process_listens_on_is_left_alone()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(SocketPath)!);
        using var other = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        other.Bind(new UnixDomainSocketEndPoint(SocketPath));
        other.Listen(1);

        var error = Assert.Throws<IOException>(() =>
            MetricsServer.Listen(MetricsListenAddress.Unix(SocketPath), _endpoints, TimeProvider.System, NullLogger.Instance, out _));

        Assert.Contains("in use", error.Message, StringComparison.Ordinal);
        Assert.True(File.Exists(SocketPath));
    }

    [Fact]
    public void A_port_in_use_is_a_socket_error_not_a_second_listener()
    {
        var first = Start();

        Assert.Throws<SocketException>(() =>
            MetricsServer.Listen(MetricsListenAddress.Tcp(IPAddress.Loopback, first.Port), _endpoints, TimeProvider.System, NullLogger.Instance, out _));
    }

    [Fact]
    public void A_regular_file_at_the_socket_path_is_refused_and_kept()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(SocketPath)!);
        File.WriteAllText(SocketPath, "the agent's record");

        var error = Assert.Throws<IOException>(() =>
            MetricsServer.Listen(MetricsListenAddress.Unix(SocketPath), _endpoints, TimeProvider.System, NullLogger.Instance, out _));

        Assert.Contains("a regular file, not a socket", error.Message, StringComparison.Ordinal);
        Assert.Equal("the agent's record", File.ReadAllText(SocketPath));
    }

    [Fact]
    public void A_symlink_at_the_socket_path_is_refused_and_its_target_kept()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(SocketPath)!);
        var target = Path.Combine(_dir.FullName, "target.json");
        File.WriteAllText(target, "{}");
        File.CreateSymbolicLink(SocketPath, target);

        Assert.Throws<IOException>(() =>
            MetricsServer.Listen(MetricsListenAddress.Unix(SocketPath), _endpoints, TimeProvider.System, NullLogger.Instance, out _));

        Assert.True(File.Exists(target));
        Assert.NotNull(new FileInfo(SocketPath).LinkTarget);
    }

    [Fact]
    public async Task Health_is_answered_with_every_slot_held_by_an_idle_connection()
    {
        // A read timeout far past the wait below: without eviction the probe would wait for one of these to time out.
        var server = Start(readTimeout: TimeSpan.FromMinutes(5));
        var idle = new List<Socket>();
        try
        {
            for (var i = 0; i < MetricsServer.MaxConnections; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                idle.Add(socket);
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, server.Port));
            }

            // Bounded, generously for a loaded machine; a timeout fails the test.
            var answer = await RawAsync(server.Port, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").WaitAsync(TimeSpan.FromSeconds(20));

            Assert.StartsWith("HTTP/1.1 ", answer, StringComparison.Ordinal);
            Assert.Contains("\r\n\r\n", answer, StringComparison.Ordinal);
        }
        finally
        {
            idle.ForEach(s => s.Dispose());
        }
    }
}
