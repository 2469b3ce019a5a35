using System.Globalization;
using System.Net.Sockets;
using Serilog.Core;
using Serilog.Debugging;
using Serilog.Events;
using Serilog.Parsing;

namespace NodeDaemon.Logging;

/// <summary>A Serilog sink that sends each event to systemd-journald as one native-protocol datagram.</summary>
/// <remarks>
/// Written by hand because no maintained Serilog journald sink is AOT-safe without libsystemd;
/// the protocol is small and the tests check it against journalctl. Emit never throws: an entry
/// the journal refuses is counted and written to the fallback writer as <c>&lt;N&gt;</c> text.
/// </remarks>
public sealed class JournaldSink : ILogEventSink, IDisposable
{
    private readonly JournaldSinkOptions _options;
    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly UnixDomainSocketEndPoint _endPoint;
    private readonly TextWriterSink _fallback;
    private long _sentEntries;
    private long _failedSends;

    /// <summary>Creates the sink; the socket path need not exist yet, each send looks it up.</summary>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    public JournaldSink(JournaldSinkOptions? options = null)
    {
        _options = options ?? new JournaldSinkOptions();
        var errors = _options.Validate();
        if (errors.Count > 0)
        {
            _socket.Dispose();
            throw new ArgumentException("Invalid journald sink options: " + string.Join(" ", errors), nameof(options));
        }
        _endPoint = new UnixDomainSocketEndPoint(_options.SocketPath);
        _fallback = new TextWriterSink(new SyslogPrefixFormatter(), _options.Fallback ?? Console.Error);
    }

    /// <summary>Entries the journal socket accepted.</summary>
    public long SentEntries => Interlocked.Read(ref _sentEntries);

    /// <summary>Entries the journal socket refused, each written to the fallback writer instead.</summary>
    public long FailedSends => Interlocked.Read(ref _failedSends);

    /// <inheritdoc />
    public void Emit(LogEvent logEvent)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        byte[] datagram = JournalNativeEncoder.Encode(JournalEntryBuilder.Build(logEvent, _options), _options.MaxEntryBytes);
        try
        {
            _socket.SendTo(datagram, _endPoint);
            Interlocked.Increment(ref _sentEntries);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            WriteFallback(logEvent, e);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _socket.Dispose();

    private void WriteFallback(LogEvent logEvent, Exception error)
    {
        try
        {
            if (Interlocked.Increment(ref _failedSends) == 1)
            {
                // Say once why entries show up as text, so a reader knows the journal fields are missing.
                string reason = error is SocketException s ? s.SocketErrorCode.ToString() : error.GetType().Name;
                string note = string.Create(CultureInfo.InvariantCulture,
                    $"journald sink: sending to {_options.SocketPath} failed ({reason}); writing entries here instead");
                // A bare text token: the path must not be parsed as a template.
                _fallback.Emit(new LogEvent(logEvent.Timestamp, LogEventLevel.Warning, null,
                    new MessageTemplate([new TextToken(note)]), []));
            }
            _fallback.Emit(logEvent);
        }
        catch (IOException e)
        {
            // stderr itself is gone: nowhere left to write but Serilog's self-log.
            SelfLog.WriteLine("journald sink: fallback write failed: {0}", e);
        }
    }
}
